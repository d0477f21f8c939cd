"""Frozen records: `@dataclass(frozen=True)` classes made without generating code at import.

`@dataclass` writes the source of each method of a class (`__init__`, `__repr__`, `__eq__`,
`__hash__`, `__setattr__`, `__delattr__`) and compiles it when its module is imported: about a
millisecond a class, several percent of a one-record run's start-up for the packs' classes.
`frozen_record` gives a class the same behaviour from functions written once here: it is a
dataclass all the same (`dataclasses.fields`, `replace`, `asdict` and `is_dataclass` work on
it), made with the same positional and keyword arguments and defaults, equal and hashed by its
fields, shown the same way, and refusing assignment with `FrozenInstanceError`. Its `__init__`
binds the arguments in Python, so a record costs a microsecond or two more to make: for what is
made when packs load (rules, patterns), not for what is made per page.
"""

from __future__ import annotations

import dataclasses
import inspect
from dataclasses import MISSING, FrozenInstanceError


def frozen_record(cls):
    """The class as `@dataclass(frozen=True)` would make it (fields with plain defaults only)."""
    cls = dataclasses.dataclass(cls, init=False, repr=False, eq=False)  # the fields alone: no code made
    fields = dataclasses.fields(cls)
    if any(f.default_factory is not MISSING or not f.init for f in fields):
        raise TypeError(f"{cls.__qualname__}: frozen_record takes fields with plain defaults only")
    names = tuple(f.name for f in fields)
    position = {name: i for i, name in enumerate(names)}
    defaults = {f.name: f.default for f in fields if f.default is not MISSING}
    shown = tuple(f.name for f in fields if f.repr)
    compared = tuple(f.name for f in fields if f.compare)
    hashed = tuple(f.name for f in fields if (f.compare if f.hash is None else f.hash))
    post_init = getattr(cls, "__post_init__", None)
    assign = object.__setattr__

    def __init__(self, *args, **kwargs):
        if len(args) > len(names):
            takes = f"{len(names) + 1}" if not defaults else f"from {len(names) - len(defaults) + 1} to {len(names) + 1}"
            raise TypeError(f"{cls.__qualname__}.__init__() takes {takes} positional arguments but {len(args) + 1} were given")
        for name, value in zip(names, args):
            assign(self, name, value)
        for name, value in kwargs.items():
            at = position.get(name)
            if at is None:
                raise TypeError(f"{cls.__qualname__}.__init__() got an unexpected keyword argument {name!r}")
            if at < len(args):
                raise TypeError(f"{cls.__qualname__}.__init__() got multiple values for argument {name!r}")
            assign(self, name, value)
        missing = []
        for name in names[len(args):]:
            if name not in kwargs:
                if name not in defaults:
                    missing.append(repr(name))
                    continue
                assign(self, name, defaults[name])
        if missing:
            listed = missing[0] if len(missing) == 1 else ", ".join(missing[:-1]) + ("," if len(missing) > 2 else "") + f" and {missing[-1]}"
            raise TypeError(f"{cls.__qualname__}.__init__() missing {len(missing)} required positional "
                            f"argument{'s' if len(missing) > 1 else ''}: {listed}")
        if post_init is not None:
            post_init(self)

    __init__.__signature__ = inspect.Signature(
        [inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD)]
        + [inspect.Parameter(f.name, inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=f.type,
                             default=inspect.Parameter.empty if f.default is MISSING else f.default) for f in fields],
        return_annotation=None)

    def __repr__(self) -> str:
        return f"{type(self).__qualname__}({', '.join(f'{name}={getattr(self, name)!r}' for name in shown)})"

    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return tuple(getattr(self, n) for n in compared) == tuple(getattr(other, n) for n in compared)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(getattr(self, n) for n in hashed))

    def __setattr__(self, name, value):
        if type(self) is cls or name in names:
            raise FrozenInstanceError(f"cannot assign to field {name!r}")
        super(cls, self).__setattr__(name, value)

    def __delattr__(self, name):
        if type(self) is cls or name in names:
            raise FrozenInstanceError(f"cannot delete field {name!r}")
        super(cls, self).__delattr__(name)

    for method in (__init__, __repr__, __eq__, __hash__, __setattr__, __delattr__):
        method.__qualname__ = f"{cls.__qualname__}.{method.__name__}"
        setattr(cls, method.__name__, method)
    return cls


def slots_repr(self) -> str:
    """`Name(field=value, ...)` over the class's `__slots__`, as a dataclass shows itself: for
    the plain classes made per page or at import instead of dataclasses (`__repr__ = slots_repr`)."""
    return f"{type(self).__qualname__}({', '.join(f'{name}={getattr(self, name)!r}' for name in type(self).__slots__)})"
