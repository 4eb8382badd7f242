"""The case-study walkthroughs run as written: docs/studi-kasus-guru.md and docs/studi-kasus-pariwisata.md.

Each ```bash block of a walkthrough is a list of commands (one per line), run in order with the installed
``seimbang`` and ``simulate`` in a temporary copy of the project's ``datasets/``, ``scenarios/`` and ``rules/`` (so the
files a step writes are there for the next step, and the checkout is never touched), without SEIMBANG_LANG.
HTML comments right before a block, which the rendered page does not show, say what to check:

- ``<!-- exit: N -->`` before a bash block: every command of the block exits with N (default 0);
- ``<!-- expect -->`` before a ```text block: each of its lines appears in the output (stdout and stderr) of the
  bash block before it, spaces collapsed (the page quotes the key lines, not whole tables);
- ``<!-- pending: BRANCH -->`` before a bash block: the step needs a part that is not merged yet; the test
  reports it as skipped with the branch, so it cannot be forgotten.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGES = ("studi-kasus-guru.md", "studi-kasus-pariwisata.md")
BLOCK = re.compile(
    r"^(?:<!-- (?P<marker>exit|expect|pending)(?::\s*(?P<arg>[^\n]*?))? -->\n)?```(?P<lang>bash|text)[ \t]*\n"
    r"(?P<body>.*?)^```[ \t]*$",
    re.M | re.S,
)
PROGRAMS = {"seimbang", "simulate"}


@dataclass
class Step:
    """One bash block: its commands, the exit code they must end with, and the lines their output must show."""

    line: int
    commands: list[str]
    exit_code: int = 0
    expected: list[str] = field(default_factory=list)
    pending: str | None = None


def steps_of(page: str) -> list[Step]:
    text = (ROOT / "docs" / page).read_text(encoding="utf-8")
    steps: list[Step] = []
    for match in BLOCK.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        marker, arg, lang, body = match["marker"], match["arg"], match["lang"], match["body"]
        if lang == "bash":
            commands = [c for c in body.splitlines() if c.strip() and not c.lstrip().startswith("#")]
            step = Step(line, commands)
            if marker == "exit":
                step.exit_code = int(arg or "0")
            elif marker == "pending":
                step.pending = arg or "?"
            steps.append(step)
        elif marker == "expect":
            assert steps, f"{page}:{line}: an expect block before any command"
            steps[-1].expected += [x for x in body.splitlines() if x.strip()]
    return steps


def squeeze(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh copy of what a clone holds for the walkthroughs: the datasets and the scenarios."""
    folder = tmp_path_factory.mktemp("clone")
    for name in ("datasets", "scenarios", "rules"):
        shutil.copytree(ROOT / name, folder / name)
    return folder


def run(command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    argv = shlex.split(command)
    assert argv[0] in PROGRAMS, f"a walkthrough may only run {sorted(PROGRAMS)}, not {argv[0]!r}"
    env = {k: v for k, v in os.environ.items() if k != "SEIMBANG_LANG"}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["COLUMNS"] = "120"
    return subprocess.run(
        argv, cwd=cwd, env=env, capture_output=True, text=True, encoding="utf-8", timeout=600, check=False
    )


@pytest.mark.parametrize("page", PAGES)
def test_the_walkthrough_runs_as_written(page: str, workdir: Path) -> None:
    steps = steps_of(page)
    assert len([s for s in steps if s.pending is None]) >= 4, f"{page}: too few runnable steps"
    for step in steps:
        if step.pending is not None:
            continue
        output = ""
        for command in step.commands:
            done = run(command, workdir)
            output += done.stdout + done.stderr
            assert "Traceback" not in output, f"{page}:{step.line}: {command}\n{output}"
            assert done.returncode == step.exit_code, (
                f"{page}:{step.line}: {command} exited {done.returncode}, the page says {step.exit_code}\n{output}"
            )
        flat = squeeze(output)
        for line in step.expected:
            assert squeeze(line) in flat, f"{page}:{step.line}: the output lacks {line!r}\n{output}"


@pytest.mark.parametrize("page", PAGES)
def test_pending_steps_are_reported(page: str) -> None:
    pending = [f"line {s.line} needs branch {s.pending}" for s in steps_of(page) if s.pending is not None]
    if pending:
        pytest.skip(f"{page}: steps not runnable until merged: " + "; ".join(pending))
