"""`records.frozen_record` behaves as `@dataclass(frozen=True)`: the packs' classes and `Options`
are made with it (to spare start-up the code generation), and nothing that uses them may tell."""

from __future__ import annotations

import dataclasses
import inspect
import pickle

import pytest

from cleaner.pipeline import Options
from cleaner.records import frozen_record
from cleaner.rulepack import DropRule, Pack, Pattern, Structure


def twins():
    """The same class body, made by `frozen_record` and by `dataclass(frozen=True)`."""

    def body():
        class Rule:
            """A rule."""

            name: str
            where: str
            weight: int = 40
            hints: tuple = ()
            label: str = dataclasses.field(default="?", repr=False, compare=False)

        return Rule

    return frozen_record(body()), dataclasses.dataclass(frozen=True)(body())


CALLS = [(("a", "b"), {}), (("a",), {"where": "b", "hints": ("x",)}), ((), {"name": "a", "where": "b", "weight": 3}),
         (("a", "b", 1, (), "L"), {})]
BAD_CALLS = [((), {}), (("a",), {}), (("a", "b", 1, (), "L", "extra"), {}), (("a", "b"), {"name": "again"}),
             (("a", "b"), {"colour": "red"})]


@pytest.mark.parametrize("args,kwargs", CALLS)
def test_made_shown_compared_and_hashed_as_a_frozen_dataclass(args, kwargs):
    ours, theirs = twins()
    a, b = ours(*args, **kwargs), theirs(*args, **kwargs)
    assert repr(a).replace("frozen_record", "") == repr(b)
    assert [(f.name, getattr(a, f.name)) for f in dataclasses.fields(a)] == [(f.name, getattr(b, f.name)) for f in dataclasses.fields(b)]
    assert dataclasses.astuple(a) == dataclasses.astuple(b) and dataclasses.asdict(a) == dataclasses.asdict(b)
    assert a == ours(*args, **kwargs) and hash(a) == hash(ours(*args, **kwargs)) == hash(b)
    assert a == dataclasses.replace(a, label="other")  # `label` is not compared, as declared
    assert a != dataclasses.replace(a, weight=-1) and a != b  # another class is never equal
    assert dataclasses.replace(a, weight=7).weight == 7
    assert dataclasses.is_dataclass(a) and ours.__match_args__ == theirs.__match_args__
    assert inspect.signature(ours) == inspect.signature(theirs)


@pytest.mark.parametrize("args,kwargs", BAD_CALLS)
def test_bad_arguments_are_refused_as_a_dataclass_refuses_them(args, kwargs):
    ours, theirs = twins()
    with pytest.raises(TypeError) as mine:
        ours(*args, **kwargs)
    with pytest.raises(TypeError) as reference:
        theirs(*args, **kwargs)
    assert str(mine.value).split("() ", 1)[1] == str(reference.value).split("() ", 1)[1]


def test_fields_cannot_be_assigned_or_deleted():
    ours, _ = twins()
    rule = ours("a", "b")
    with pytest.raises(dataclasses.FrozenInstanceError, match="cannot assign to field 'weight'"):
        rule.weight = 1
    with pytest.raises(dataclasses.FrozenInstanceError, match="cannot delete field 'name'"):
        del rule.name
    with pytest.raises(dataclasses.FrozenInstanceError):
        rule.anything = 1


def test_the_packs_classes_and_options_are_frozen_records():
    pattern = Pattern("x", "here", None)
    rule = DropRule("promo", "line", "all", "label", pattern)
    assert rule == DropRule("promo", "line", "all", "label", pattern) and rule.max_lines == 40
    assert repr(Structure()) == ("Structure(caption_pairs=False, caption_credit=None, repeated_min_chars=0, nav_max_words=0, "
                                 "nav_min_run=2, tag_max_words=0, story_min_words=10)")
    assert hash(Options()) == hash(Options()) and Options(min_chars=5) != Options()
    assert pickle.loads(pickle.dumps(Options(min_chars=5))) == Options(min_chars=5)  # as the workers get them
    assert dataclasses.replace(Options(), min_chars=5).min_chars == 5 and "min_chars" in Options.__dataclass_fields__
    assert [f.name for f in dataclasses.fields(Pack)][:3] == ["name", "label", "description"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        Options().min_chars = 1
