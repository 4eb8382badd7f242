"""The progress indication: on stderr only, only on a terminal (or when asked), only once a run takes time."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_corpus import build_dataset, check

from decision_support import i18n
from decision_support.cli_progress import Progress
from decision_support.sources import load_dataset_with_notices


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    before = i18n.current_language()
    i18n.set_language("en")
    yield
    i18n.set_language(before)


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_terminal_line_appears_after_a_second_and_is_erased() -> None:
    stream, clock = io.StringIO(), Clock()
    shown = Progress(stream, terminal=True, clock=clock)
    shown.phase("Reading ds/employees.csv")
    shown.tick()
    assert stream.getvalue() == ""  # a quick run shows nothing
    clock.now += 1.5
    shown.update(2000, 389000)
    shown.tick()
    assert stream.getvalue() == "\r\033[KReading ds/employees.csv: 2000 of 389000 (1 s)"
    shown.close()
    assert stream.getvalue().endswith("\r\033[K")


def test_nothing_is_written_outside_a_terminal_unless_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SEIMBANG_PROGRESS", raising=False)
    stream, clock = io.StringIO(), Clock()
    shown = Progress(stream, terminal=False, clock=clock)
    shown.phase("Screening candidates")
    clock.now += 60
    shown.tick()
    shown.close()
    assert stream.getvalue() == ""


def test_log_lines_when_asked_one_per_phase_and_throttled(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SEIMBANG_PROGRESS", "1")
    stream, clock = io.StringIO(), Clock()
    shown = Progress(stream, terminal=False, clock=clock)
    shown.phase("Loading the dataset and the rules")
    clock.now += 1
    shown.tick()  # under the 2 s delay: nothing
    clock.now += 2
    shown.tick()
    clock.now += 1
    shown.tick()  # same phase within 10 s: nothing more
    shown.phase("Screening candidates")
    shown.tick()
    clock.now += 11
    shown.tick()
    assert stream.getvalue().splitlines() == [
        "Loading the dataset and the rules... (3 s)",
        "Screening candidates... (4 s)",
        "Screening candidates... (15 s)",
    ]


def test_loader_reports_its_phases(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    class Record:
        def __init__(self) -> None:
            self.phases: list[str] = []
            self.updates: list[tuple[int, int | None]] = []

        def phase(self, label: str) -> None:
            self.phases.append(label)

        def update(self, done: int, total: int | None = None) -> None:
            self.updates.append((done, total))

    build_dataset(tmp_path)
    monkeypatch.chdir(tmp_path)
    record = Record()
    load_dataset_with_notices("ds", record)
    assert "Reading ds/employees.csv" in record.phases
    assert "Checking ds/employees.csv" in record.phases
    assert record.phases[-1] == "Checking references between tables"
    # employees.csv is streamed, so its progress counts lines: the first employee is on line 2 of 12.
    assert (2, 12) in record.updates


def test_check_output_is_unchanged_by_progress(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Under a test runner stderr is no terminal: stdout has the verdict only and stderr stays empty."""
    monkeypatch.setenv("SEIMBANG_PROGRESS", "0")
    build_dataset(tmp_path)
    result = check(tmp_path, monkeypatch)
    assert result.exit_code == 0
    assert result.stderr == ""
    assert result.stdout.startswith("Dataset 'Mini test dataset' is valid")
