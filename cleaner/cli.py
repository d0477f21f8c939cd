"""The `corpus-cleaner` command: the bare command is the filter; subcommands sit beside it."""

from __future__ import annotations

import errno
import os
import signal
import sys
from contextlib import contextmanager

import click

from . import __version__
from .io import InputError, OutputError
from .langid import BACKENDS, LanguageDetectorError, known_languages
from .packload import load_packs
from .pipeline import Options, frozen_options
from .rulepack import PACK_NAME, PackError, unknown_pack

DEFAULTS = Options()  # the CLI's defaults are the library's


class FilterByDefault(click.Group):
    """`corpus-cleaner [OPTIONS] [INPUT...]` means `corpus-cleaner clean [OPTIONS] [INPUT...]`."""

    def parse_args(self, ctx, args):
        if not args or (args[0] not in self.commands and args[0] not in ("--help", "-h", "--version")):
            args = ["clean", *args]
        return super().parse_args(ctx, args)

    def main(self, args=None, prog_name=None, **extra):
        """Click's own handling, except that a bad option is one line (problem and where help is), not three."""
        try:
            return super().main(args, prog_name, standalone_mode=False, **extra)
        except click.UsageError as exc:
            message = exc.format_message().rstrip(".")
            hint = f". Try '{exc.ctx.command_path} --help'." if exc.ctx is not None else ""
            click.echo(f"Error: {message}{hint}", err=True)
            sys.exit(exc.exit_code)
        except click.ClickException as exc:
            exc.show()
            sys.exit(exc.exit_code)
        except click.Abort:
            click.echo("Aborted!", err=True)
            sys.exit(1)
        except OSError as exc:
            if exc.errno == errno.EPIPE:  # the reader of our output left
                sys.exit(1)
            raise



class _NeverRaised(Exception):
    pass


def _broken_pool() -> type[BaseException]:
    """The worker pool's "a worker died" error. Looked up only when something went wrong: a run
    with one worker never imports the pool (it is a noticeable part of a start-up)."""
    module = sys.modules.get("concurrent.futures.process")
    return module.BrokenProcessPool if module is not None else _NeverRaised

@click.group(cls=FilterByDefault, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="corpus-cleaner")
def main():
    """Turn crawled news pages into clean article text.

    With no subcommand, runs `clean`: JSONL pages in (stdin or files), clean JSONL
    articles out (stdout). See `corpus-cleaner clean --help` for every option.

    \b
      corpus-cleaner < pages.jsonl > articles.jsonl
      corpus-cleaner crawl-*.jsonl.gz -o articles.jsonl --rejects rejects.jsonl
      corpus-cleaner rules list
    """


def _languages(value: str | None):
    if value is None:
        return None
    codes = tuple(sorted({c.strip().lower() for c in value.split(",") if c.strip()}))
    if not codes:
        raise click.BadParameter("give language codes such as 'id,en', or 'any'")
    return () if codes == ("any",) else codes


@contextmanager
def failures_as_messages():
    """A failure of the whole run (a bad pack, an unreadable input, no language model) is one
    line on stderr and exit status 1, never a traceback."""
    try:
        yield
    except (PackError, InputError, OutputError, LanguageDetectorError) as exc:
        raise click.ClickException(str(exc)) from None


RULES = click.option("--rules", "rules_dirs", metavar="DIR", multiple=True, type=click.Path(exists=True, file_okay=False),
                     help="Also load the packs in DIR (repeatable); a pack named like a built-in one replaces it. "
                          "Their test cases are in DIR/tests/NAME/.")
# existence is checked by `_readable`: a missing input is an unreadable input (exit 1), not a bad option
INPUTS = click.argument("inputs", nargs=-1, type=click.Path(dir_okay=False, allow_dash=True))
# The options that decide what a page becomes, shared by `clean` and `explain` (cleaner.pipeline.Options).
CLEANING_OPTIONS = [
    click.option("--site", metavar="NAME", help="Use this pack for every page instead of detecting the site."),
    RULES,
    click.option("--lang", "languages", metavar="CODES", callback=lambda ctx, param, value: _languages(value),
                 help="Accepted languages, comma-separated (id,en). Default: the pack's own; 'any' accepts all."),
    click.option("--lang-backend", type=click.Choice(BACKENDS), default=DEFAULTS.lang_backend, show_default=True,
                 help="Language detector: fastText's bundled lid.176 model, or langdetect (seeded)."),
    click.option("--min-chars", type=click.IntRange(min=0), default=DEFAULTS.min_chars, show_default=True,
                 help="Reject pages with fewer characters of text left after cleaning."),
    click.option("--min-words", type=click.IntRange(min=0), default=DEFAULTS.min_words, show_default=True,
                 help="Reject pages with fewer words of text left after cleaning."),
    click.option("--max-chars", type=click.IntRange(min=1), default=DEFAULTS.max_chars, show_default=True,
                 help="Reject larger pages (characters of text or HTML) as 'too_large' instead of stalling on them."),
    click.option("--timeout", type=click.FloatRange(min=0), default=DEFAULTS.timeout, show_default=True, metavar="SECONDS",
                 help="Time limit per page, extraction and rules together; a slower page is a 'timeout' reject (0 = none)."),
    click.option("--max-line-bytes", type=click.IntRange(min=1), default=DEFAULTS.max_line_bytes, show_default=True,
                 metavar="BYTES", help="Reject a longer input line (or page file) as 'too_large', read past without holding it."),
    click.option("--text-field", default=DEFAULTS.text_field, show_default=True, help="Input field holding page text."),
    click.option("--html-field", default=DEFAULTS.html_field, show_default=True, help="Input field holding raw HTML."),
    click.option("--url-field", default=DEFAULTS.url_field, show_default=True, help="Input field holding the page URL."),
    click.option("--id-field", default=DEFAULTS.id_field, show_default=True, help="Input field holding the page id."),
    click.option("--keep-html", is_flag=True, help="Keep the input HTML field in output records (dropped by default)."),
]


def cleaning_options(command):
    for option in reversed(CLEANING_OPTIONS):
        command = option(command)
    return command


def _options(kwargs: dict) -> Options:
    options = frozen_options({k: v for k, v in kwargs.items() if k in Options.__dataclass_fields__})
    known = known_languages(options.lang_backend) if options.languages else frozenset()
    unknown = [code for code in options.languages or () if code not in known]
    if unknown:
        examples = ", ".join(c for c in ("id", "en", "ms", "jv", "su", "es") if c in known)
        raise click.BadParameter(
            f"{', '.join(map(repr, unknown))}: not a language the {options.lang_backend} detector knows "
            f"({len(known)} ISO 639 codes such as {examples}), or 'any'", param_hint="'--lang'")
    return options


def _readable(inputs: tuple[str, ...]) -> tuple[str, ...]:
    """The inputs, or stop before any output is opened: a missing or unreadable file is exit 1, one line."""
    from .warc import is_warc, require_reader

    for path in inputs:
        if path != "-":
            try:
                open(path, "rb").close()
                if is_warc(path):
                    require_reader(path)
            except InputError as exc:
                raise click.ClickException(str(exc)) from None
            except OSError as exc:
                raise click.ClickException(f"cannot open {path}: {exc.strerror or exc}") from None
    return inputs or ("-",)


@main.command()
@INPUTS
@click.option("-o", "--output", metavar="FILE", help="Write clean records here (.gz compresses). Default: stdout.")
@click.option("--rejects", metavar="FILE", help="Write every rejected page here with its reason. Default: only counted.")
@cleaning_options
@click.option("--progress/--no-progress", default=None,
              help="Show a progress bar on stderr. Default: on when stderr is a terminal.")
@click.option("--stats", metavar="FILE", help="Write the run's summary as JSON to FILE.")
@click.option("-w", "--workers", type=click.IntRange(min=0), default=0, metavar="N",
              help="Worker processes (default 0 = one per core; 1 = in this process). Output order and bytes do not depend on N.")
@click.option("-q", "--quiet", is_flag=True, help="Do not print the one-line summary to stderr.")
def clean(inputs, output, rejects, progress, stats, workers, quiet, **kwargs):
    """Clean pages: JSONL in (files or stdin; '-' is stdin; .gz read transparently), JSONL out.

    Each input line is a JSON object with `text` (page text) or `html` (raw page), and
    optionally `url` and `id`. A `.txt` or `.html` file given as INPUT is one page. Every
    page becomes one clean record or one reject; records read = written + rejected.
    """
    from .parallel import default_workers
    from .run import clean_files

    options = _options(kwargs)
    inputs = _readable(inputs)
    if progress is None:
        progress = sys.stderr.isatty()
    signal.signal(signal.SIGTERM, _interrupt)  # a scheduler's stop ends the run like Ctrl-C
    signal.signal(signal.SIGHUP, _interrupt)  # ... and so does closing its terminal
    try:
        with failures_as_messages():
            summary = clean_files(inputs, output, rejects, stats, progress,
                                  workers or default_workers(), **options.__dict__)
    except _broken_pool():
        raise click.ClickException("a worker process died (killed, or out of memory?); the output files were "
                                   "not written (earlier ones are untouched); try fewer workers or --max-chars") from None
    except BrokenPipeError:  # `corpus-cleaner ... | head`: the reader left, which is fine
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(0)
    except KeyboardInterrupt:  # before any page was read (while loading packs or the model)
        click.echo("corpus-cleaner: interrupted", err=True)
        sys.exit(130)
    if not quiet or summary.interrupted:
        try:
            click.echo(summary.line(), err=True)
        except OSError:  # stderr is gone (a closed terminal after SIGHUP): the exit status still tells
            pass
    if summary.interrupted:
        sys.exit(130)


@main.command()
@INPUTS
@cleaning_options
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text: each page's lines, the removed ones marked with category and rule; json: one object per page.")
@click.option("--color/--no-color", default=None, help="Colour the text format. Default: on when stdout is a terminal.")
def explain(inputs, fmt, color, **kwargs):
    """Show why each line of each page was kept or removed, and by which rule."""
    from .explain import explain_files, plain

    color = sys.stdout.isatty() if color is None else color
    try:
        with failures_as_messages():
            for block in explain_files(_readable(inputs), _options(kwargs), fmt, click.style if color else plain):
                click.echo(block, color=color)
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(0)


def _interrupt(signum, frame):
    raise KeyboardInterrupt


@main.group()
def rules():
    """Inspect rule packs."""


@rules.command("list")
@RULES
def rules_list(rules_dirs):
    """List every pack found: name, languages, domains and file."""
    with failures_as_messages():
        packs = load_packs(rules_dirs)
    width = max(len(name) for name in packs)
    for name, pack in packs.items():
        domains = ", ".join(pack.domains[:4]) + (f" (+{len(pack.domains) - 4} more)" if len(pack.domains) > 4 else "")
        click.echo(f"{name:<{width}}  {','.join(pack.languages) or 'any':<20}  {domains or '(any site)'}  [{pack.file}]")


@rules.command("check")
@click.argument("dirs", nargs=-1, type=click.Path(file_okay=False))
def rules_check(dirs):
    """Check the packs in DIRS (default: the built-in ones) and report every problem at once."""
    from .packload import builtin_rules_dir, check_packs

    names, problems = check_packs(dirs or [builtin_rules_dir()])
    for problem in problems:
        click.echo(problem)
    if problems:
        click.echo(f"{len(problems)} problem(s); {len(names)} pack(s) loaded cleanly", err=True)
        sys.exit(1)
    click.echo(f"ok: {len(names)} pack(s): {', '.join(names)}")


@rules.command("show")
@click.argument("name")
@RULES
def rules_show(name, rules_dirs):
    """Print pack NAME: where it comes from, what it covers, and its rules as written."""
    from pathlib import Path

    with failures_as_messages():
        packs = load_packs(rules_dirs)
        if name not in packs:
            raise unknown_pack(name, packs)
    pack = packs[name]
    click.echo(f"# {pack.name}: {pack.description}")
    click.echo(f"# file: {pack.file}")
    click.echo(f"# languages: {', '.join(pack.languages) or 'any'}; domains: {', '.join(pack.domains) or '(any site)'}")
    click.echo(f"# {len(pack.drops)} drop rules and {len(pack.fields)} field rules"
               + (f", including those of {', '.join(pack.include)}" if pack.include else ""))
    click.echo(Path(pack.file).read_text(encoding="utf-8"))


@rules.command("test")
@click.argument("names", nargs=-1)
@RULES
def rules_test(names, rules_dirs):
    """Run the packs' test cases (default: every pack that has some) and show a diff for each failure.

    A case is a page, `tests/NAME/CASE.txt` or `.html` beside the pack, and its expected clean
    text, `tests/NAME/CASE.expected.txt`.
    """
    from .packtest import run_pack_tests

    with failures_as_messages():
        passed, failures = run_pack_tests(names, rules_dirs)
    for case, diff in failures:
        click.echo(f"FAIL {case}")
        click.echo(diff)
    click.echo(f"{passed} passed, {len(failures)} failed")
    if failures:
        sys.exit(1)


@rules.command("learn")
@click.argument("inputs", nargs=-1, type=click.Path(exists=True, dir_okay=False, allow_dash=True))
@click.option("--site", required=True, metavar="NAME", help="Name of the pack to draft (a lower-case identifier).")
@click.option("-o", "--output", metavar="FILE", help="Write the draft pack here. Default: stdout.")
@click.option("--min-support", type=click.FloatRange(0, 1), default=0.03, show_default=True,
              help="Share of the sample's pages (at least 3) a line shape or opening must appear in to become a rule.")
def rules_learn(inputs, site, output, min_support):
    """Draft a pack for one site from a sample of its pages (50 or more; JSONL or page files).

    Lines and line openings that recur across many different pages become rules, each with its
    support and examples as comments. The report on stderr shows what the draft would remove.
    """
    from .io import Output, read_lines
    from .langid import get_detector
    from .learn import learn, page_lines, to_toml

    if not PACK_NAME.fullmatch(site):
        raise click.BadParameter("must be a lower-case identifier such as 'kompas'", param_hint="--site")
    detector = get_detector("fasttext")
    sample = []
    with failures_as_messages():
        for line in read_lines(inputs or ("-",)):
            page, bad = line.parsed()
            if bad is None and isinstance(page, dict):
                lines = page_lines(page)
                if lines:
                    sample.append((lines, page.get("url"), detector.detect("\n".join(lines))[0]))
    if len(sample) < 3:
        raise click.ClickException(f"only {len(sample)} usable pages: learning needs a sample of many pages of one site (50 or more)")
    learned = learn(site, sample, min_support)
    text = to_toml(learned)
    if output:
        with failures_as_messages():  # written beside the target and renamed: a failed write leaves an earlier pack whole
            draft = Output(output)
            draft.write(text)
            draft.finish()
            draft.commit()
    else:
        click.echo(text, nl=False)
    if len(sample) < 50:
        click.echo(f"warning: {len(sample)} pages is a small sample; 50 or more give safer rules", err=True)
    click.echo(f"learned {len(learned.rules)} rules from {learned.pages} pages of {site}:", err=True)
    for rule in learned.rules:
        click.echo(f"  {rule.support:>5} pages {rule.lines_removed:>6} lines  {rule.pattern[:90]}", err=True)
    click.echo(f"story-like lines (12+ words, closing punctuation) it would remove in the sample: {learned.story_lines_hit}", err=True)
    click.echo(f"recurring lines not learned because they continue a sentence (fragments): {learned.fragments}", err=True)



@main.command()
@click.argument("stats", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("-o", "--output", default="report.html", show_default=True, metavar="FILE", help="Where to write the HTML report.")
def report(stats, output):
    """Write a self-contained HTML report of one or more runs from their --stats files."""
    from .report import report_files

    try:
        report_files(list(stats), output)
    except (ValueError, OSError) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"report written to {output}", err=True)
