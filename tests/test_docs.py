"""The examples in docs/*.md are real: run them and compare.

Every ```console block in docs/*.md is a series of ``$ command`` lines, each followed by what it
prints (stdout and stderr together, as a terminal shows them). Each command runs with the
installed ``seimbang``, ``simulate`` and ``python`` of this interpreter, in a temporary copy of
docs/examples, with COLUMNS=80 and without SEIMBANG_LANG, and its output must equal the block.
``echo $?`` shows the exit code of the command before it. The examples of one page share a folder,
so a file written by one command can be read by the next; each page starts from a fresh copy.

Markers, HTML comments that the rendered page does not show, on the line right before a block:

- ``<!-- file: PATH [bom] [crlf] -->``: the block is the content of PATH; it is written into the
  folder when the page reaches it (the tutorial builds its dataset this way);
- ``<!-- output: PATH -->``: the block equals the file PATH that an earlier command wrote;
- ``<!-- json: PATH KEY -->``: the block equals the value at KEY (dotted, ``units.0``) of the
  JSON file PATH, indented by 2 as seimbang writes JSON;
- ``<!-- fixes: FOLDER -->`` before a table: each row "`file` row|line N, `column`" ... "Write
  `value`" sets that cell of FOLDER/file, as the reader is told to.

The tutorial (tutorial-first-analysis.md) builds the dataset abk-2025 from its text; every other
page starts with the finished abk-2025 in its folder.

``pytest tests/test_docs.py --update-docs`` rewrites the console, output and json blocks from the
real output. Read the diff, and the prose around every changed block, before committing.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import click
import pytest

import decision_support
from decision_support import cli

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
EXAMPLES = DOCS / "examples"
TUTORIAL = "tutorial-first-analysis.md"
TUTORIAL_DATASET = "abk-2025"
PAGES = sorted(p.name for p in DOCS.glob("*.md"))
BIN = Path(sys.executable).parent
#: What a docs example may run (after any VAR=value prefix); `echo $?` is handled by the test.
PROGRAMS = {"seimbang", "simulate", "python", "mkdir", "diff"}

BLOCK = re.compile(
    r"^(?:<!-- (?P<marker>file|output|json): (?P<args>[^\n]*?) -->\n)?"
    r"```(?P<lang>[\w-]*)[ \t]*\n(?P<body>.*?)^```[ \t]*$",
    re.M | re.S,
)
FIXES = re.compile(r"^<!-- fixes: (?P<folder>\S+) -->\n(?P<table>(?:\|[^\n]*\n)+)", re.M)
FIX_ROW = re.compile(
    r"^\| `(?P<file>[^`]+)` (?:row|line) (?P<line>\d+), `(?P<column>[^`]+)` \|.*\| Write `(?P<value>[^`]*)`"
)


@dataclass(repr=False)
class Check:
    """One block of a page and what the program really shows for it."""

    page: str
    line: int
    start: int
    end: int
    expected: str
    actual: str
    #: The real output could not be had (a file an example should have written is missing): never written back.
    broken: bool = False


@dataclass(repr=False)
class PageRun:
    page: str
    checks: list[Check] = field(default_factory=list)


def environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("SEIMBANG_LANG", "LANGUAGE")}
    env.update(
        PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}",
        COLUMNS="80",
        LC_ALL="C",  # diff and the OS messages in English, whatever the machine's locale
        PYTHONUTF8="1",  # ... and Python's streams in UTF-8 all the same
        PYTHONUNBUFFERED="1",  # stdout and stderr interleave as on a terminal
    )
    return env


def events(text: str) -> Iterator[re.Match[str]]:
    """Fenced blocks and fix tables of a page, in page order."""
    found = [*BLOCK.finditer(text), *FIXES.finditer(text)]
    yield from sorted(found, key=lambda m: m.start())


def commands(body: str) -> list[tuple[str, str]]:
    """(command, shown output) pairs of a console block."""
    pairs: list[tuple[str, list[str]]] = []
    for line in body.splitlines():
        if line.startswith("$ "):
            pairs.append((line[2:], []))
        else:
            assert pairs, f"a console block must start with '$ ': {line!r}"
            pairs[-1][1].append(line)
    return [(command, "\n".join(shown)) for command, shown in pairs]


def program(command: str) -> str:
    words = [w for w in shlex.split(command) if not re.fullmatch(r"[A-Z_]+=.*", w)]
    return words[0] if words else ""


def normalise(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.rstrip("\n").splitlines())


def run_console(body: str, folder: Path, env: dict[str, str]) -> str:
    """Run the commands of a console block; return the block as the programs really print it."""
    shown, exit_code = [], 0
    for command, _ in commands(body):
        if command == "echo $?":
            output = str(exit_code)
        else:
            assert program(command) in PROGRAMS, f"docs examples run only {sorted(PROGRAMS)}: {command}"
            done = subprocess.run(
                ["bash", "-c", command],
                cwd=folder,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                timeout=120,
                check=False,
            )
            exit_code = done.returncode
            output = normalise(done.stdout.decode("utf-8"))
        shown.append(f"$ {command}\n" + (f"{output}\n" if output else ""))
    return "".join(shown)


def write_file(folder: Path, args: str, body: str) -> None:
    path, *flags = args.split()
    assert set(flags) <= {"bom", "crlf"}, args
    target = folder / path
    target.parent.mkdir(parents=True, exist_ok=True)
    text = body.replace("\n", "\r\n") if "crlf" in flags else body
    target.write_bytes(("\ufeff" if "bom" in flags else "").encode() + text.encode("utf-8"))


def apply_fixes(folder: Path, table: str) -> None:
    rows = [FIX_ROW.match(line) for line in table.splitlines()[2:]]
    assert rows and all(rows), f"every row of a fix table must say where and what to write:\n{table}"
    for row in rows:
        assert row is not None
        path = folder / row["file"]
        raw = path.read_bytes()
        bom = raw.startswith(b"\xef\xbb\xbf")
        lines = raw.decode("utf-8-sig").splitlines(keepends=True)
        header = lines[0].rstrip("\r\n")
        delimiter = max((",", ";", "\t"), key=header.count)
        column = header.split(delimiter).index(row["column"])
        number = int(row["line"]) - 1
        ending = lines[number][len(lines[number].rstrip("\r\n")) :]
        cells = lines[number].rstrip("\r\n").split(delimiter)
        cells[column] = row["value"]
        lines[number] = delimiter.join(cells) + ending
        path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + "".join(lines).encode("utf-8"))


def json_excerpt(folder: Path, args: str) -> str:
    path, key = args.split()
    value = json.loads((folder / path).read_text(encoding="utf-8"))
    for part in key.split("."):
        value = value[int(part)] if isinstance(value, list) else value[part]
    return json.dumps(value, ensure_ascii=False, indent=2) + "\n"


def run_page(page: str, folder: Path, *, files_only: bool = False) -> PageRun:
    """Go through ``page`` in order in ``folder``: write its files, apply its fixes, run its examples."""
    text = (DOCS / page).read_text(encoding="utf-8")
    env = environment()
    result = PageRun(page)
    for match in events(text):
        if match.re is FIXES:
            apply_fixes(folder / match["folder"], match["table"])
            continue
        marker, body = match["marker"], match["body"]
        if marker == "file":
            write_file(folder, match["args"], body)
            continue
        if files_only:
            continue
        broken = False
        try:
            if marker == "output":
                actual = (folder / match["args"]).read_text(encoding="utf-8")
            elif marker == "json":
                actual = json_excerpt(folder, match["args"])
            elif match["lang"] == "console":
                actual = run_console(body, folder, env)
            else:
                continue
        except (OSError, KeyError, IndexError, ValueError) as exc:
            actual, broken = f"(cannot show {match['args']}: {exc!r})\n", True
        line = text.count("\n", 0, match.start("body")) + 1
        result.checks.append(Check(page, line, match.start("body"), match.end("body"), body, actual, broken))
    return result


@pytest.fixture(scope="session")
def page_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, PageRun]:
    """Every page run in its own copy of docs/examples, the pages side by side."""
    assert not (EXAMPLES / TUTORIAL_DATASET).exists(), "the tutorial builds abk-2025 itself; do not ship it"
    built = tmp_path_factory.mktemp("tutorial-files")
    run_page(TUTORIAL, built, files_only=True)

    def one(page: str) -> PageRun:
        folder = tmp_path_factory.mktemp(page.removesuffix(".md")) / "work"
        shutil.copytree(EXAMPLES, folder)
        if page != TUTORIAL:
            shutil.copytree(built, folder, dirs_exist_ok=True)
        return run_page(page, folder)

    with ThreadPoolExecutor(max_workers=len(PAGES)) as pool:
        return dict(zip(PAGES, pool.map(one, PAGES), strict=True))


@pytest.mark.parametrize("page", PAGES)
def test_docs_examples_match_real_output(page: str, page_runs: dict[str, PageRun], update_docs: bool) -> None:
    run = page_runs[page]
    wrong = [c for c in run.checks if normalise(c.expected) != normalise(c.actual)]
    if update_docs and wrong:
        path = DOCS / page
        text = path.read_text(encoding="utf-8")
        for check in sorted(wrong, key=lambda c: c.start, reverse=True):
            if not check.broken:
                text = text[: check.start] + check.actual + text[check.end :]
        path.write_text(text, encoding="utf-8")
        wrong = [c for c in wrong if c.broken]
    report = []
    for check in wrong:
        diff = difflib.unified_diff(
            normalise(check.expected).splitlines(),
            normalise(check.actual).splitlines(),
            f"docs/{page}:{check.line} (shown)",
            "real output",
            lineterm="",
        )
        report.append("\n".join(diff))
    assert not wrong, "\n\n".join(report) + "\n\nRun `pytest tests/test_docs.py --update-docs` and read the diff."


def test_docs_have_examples(page_runs: dict[str, PageRun]) -> None:
    for page in ("index.md", TUTORIAL, "dataset-format.md", "workload.md", "cli.md", "api.md"):
        assert page_runs[page].checks, f"docs/{page} has no checked example"


# -- the reference pages cover the public API and every command-line option ------------------------


def test_api_md_documents_every_public_name() -> None:
    text = (DOCS / "api.md").read_text(encoding="utf-8")
    missing = []
    for name in decision_support.__all__:
        if name == "__version__":
            continue
        word = rf"(?<![\w.]){re.escape(name)}(?!\w)"
        heading = re.search(rf"^#+ .*{word}", text, re.M)
        code = re.search(rf"`[^`\n]*{word}[^`\n]*`", text)
        if not (heading or code):
            missing.append(name)
    assert not missing, f"docs/api.md does not mention {missing}"


def walk(command: click.Command, path: list[str], parent: click.Context | None = None) -> Iterator[click.Context]:
    ctx = click.Context(command, info_name=path[-1], parent=parent)
    yield ctx
    if isinstance(command, click.Group):
        for name, sub in sorted(command.commands.items()):
            yield from walk(sub, [*path, name], ctx)


def sections(text: str) -> dict[str, str]:
    """Level-2 and level-3 headings of a page and the text below each, up to the next one."""
    parts = re.split(r"^(#{2,3} .*)$", text, flags=re.M)
    return {parts[i].lstrip("#").strip(): parts[i + 1] for i in range(1, len(parts), 2)}


def cli_contexts() -> list[click.Context]:
    return [*walk(cli.main, ["seimbang"]), *walk(cli.simulate, ["simulate"])]


@pytest.mark.parametrize("ctx", cli_contexts(), ids=lambda ctx: ctx.command_path)
def test_cli_md_documents_every_command_and_option(ctx: click.Context) -> None:
    """Each command has a section titled by its usage line, and names every option there."""
    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    usage = " ".join([ctx.command_path, *ctx.command.collect_usage_pieces(ctx)])
    body = sections(text).get(usage)
    assert body is not None, f"docs/cli.md has no section '### {usage}'"
    options = [opt for param in ctx.command.get_params(ctx) for opt in (*param.opts, *param.secondary_opts)]
    options = [opt for opt in options if opt.startswith("-")]
    missing = [opt for opt in options if not re.search(rf"`{re.escape(opt)}(?![\w-])", body)]
    assert not missing, f"the section '### {usage}' of docs/cli.md does not mention {missing}"


# -- the facts table of rules-reference.md is generated from the fact schema ------------------------

FACTS_TABLE = re.compile(r"(?<=<!-- facts:start -->\n)(?P<table>.*?)(?=<!-- facts:end -->)", re.S)


def test_rules_reference_facts_table_is_the_fact_schema(update_docs: bool) -> None:
    """The facts table of docs/rules-reference.md is what scripts/facts_table.py prints from FACTS."""
    path = DOCS / "rules-reference.md"
    text = path.read_text(encoding="utf-8")
    match = FACTS_TABLE.search(text)
    assert match, "docs/rules-reference.md has no <!-- facts:start --> ... <!-- facts:end --> block"
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "facts_table.py")],
        env=environment(),
        stdout=subprocess.PIPE,
        check=True,
        timeout=60,
    )
    generated = done.stdout.decode("utf-8")
    if update_docs and match["table"] != generated:
        path.write_text(text[: match.start()] + generated + text[match.end() :], encoding="utf-8")
        return
    diff = "\n".join(
        difflib.unified_diff(
            match["table"].splitlines(),
            generated.splitlines(),
            "docs/rules-reference.md",
            "facts_table.py",
            lineterm="",
        )
    )
    assert match["table"] == generated, (
        f"{diff}\n\nThe facts table differs from the fact schema: run `python scripts/facts_table.py` and put its "
        "output between the markers (or `pytest tests/test_docs.py --update-docs`)."
    )
