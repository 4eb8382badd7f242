"""Scenario files with problems: every problem at once, each at file:line:column with the exact message."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from decision_support import api, cli, i18n
from decision_support.errors import ExitCode, InputError

MINI = Path(__file__).resolve().parent / "data" / "mini"


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.chdir(tmp_path)
    i18n.set_language("en")
    yield
    i18n.set_language(None)


def problems(text: str, name: str = "skenario.yaml") -> str:
    Path(name).write_text(text.replace("MINI", str(MINI)), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        api.load_scenario(name)
    return caught.value.render() + "\n" + caught.value.summary()


def test_schema_problems_are_all_listed_with_a_caret() -> None:
    shown = problems(
        """\
schema_version: 1
name: rusak
dataset: MINI
proposal:
  moves:
    - {nip: "198203142006042002", to: "PENGADMIN-KTP"}
horizon: {start: 2025-07-07, days: 5}
calendar:
  working_hours:
    mon_thu: {start: "07:30", end: "07:00"}
service_times:
  REKAM-KTP: {distribution: gama, mean_minutes: 12, cv: 0.5}
replicatons: 30
seed: 1
criteria:
  - {kind: max_utilisation, max: 1.5}
"""
    )
    assert shown == (
        "skenario.yaml:10:36: calendar.working_hours.mon_thu.end: end 07:00 must be after start 07:30\n"
        '        mon_thu: {start: "07:30", end: "07:00"}\n'
        "                                       ^\n"
        "skenario.yaml:12:29: service_times.REKAM-KTP.distribution: 'gama' is not allowed; expected one of: "
        "exponential, deterministic, lognormal, gamma, empirical. Did you mean 'gamma'?\n"
        "      REKAM-KTP: {distribution: gama, mean_minutes: 12, cv: 0.5}\n"
        "                                ^\n"
        "skenario.yaml:13:1: replicatons: unknown field 'replicatons'. Did you mean 'replications'?\n"
        "    replicatons: 30\n"
        "    ^\n"
        "skenario.yaml:16:34: criteria.0.max: must be <= 1.0, got 1.5\n"
        "      - {kind: max_utilisation, max: 1.5}\n"
        "                                     ^\n"
        "4 problems in 1 file; nothing was computed."
    )


def test_references_to_the_dataset_are_checked() -> None:
    shown = problems(
        """\
schema_version: 1
name: rusak
dataset: MINI
proposal:
  moves:
    - {nip: "198203142006042002", to: "PENGADMIN-KPT"}
    - {nip: "199402022020121002", to: "PENGADMIN-KTP"}
    - {nip: "198203142006042002", to: "PENGADMIN-KTP"}
    - {nip: "199912312020121001", to: "PENGADMIN-KTP"}
horizon: {start: 2025-07-07, days: 5}
service_times:
  REKAM-KPT: {distribution: gamma, mean_minutes: 12, cv: 0.5}
back_office:
  counter_tasks:
    - {position: PENGADMIN-KTP, task: "Merekam data KTP"}
rules: [tidak-ada.yaml]
seed: 1
criteria:
  - {kind: max_utilisation, max: 0.9}
"""
    )
    assert shown.splitlines()[::3] == [
        "skenario.yaml:6:39: proposal.moves.0.to: unknown position 'PENGADMIN-KPT'. Did you mean 'PENGADMIN-KTP'?",
        "skenario.yaml:7:39: proposal.moves.1.to: NIP 199402022020121002 already holds PENGADMIN-KTP; a move must "
        "change the position",
        "skenario.yaml:8:13: proposal.moves.2.nip: NIP 198203142006042002 is moved twice (first on line 6)",
        "skenario.yaml:9:13: proposal.moves.3.nip: no employee with NIP 199912312020121001 in dataset 'Mini test "
        "dataset'",
        "skenario.yaml:12:3: service_times.REKAM-KPT: unknown service 'REKAM-KPT'. Did you mean 'REKAM-KTP'?",
        "skenario.yaml:15:39: back_office.counter_tasks.0.task: position PENGADMIN-KTP has no ABK task "
        "'Merekam data KTP'. Did you mean 'Merekam data KTP-el'?",
        "skenario.yaml:16:9: rules.0: rule pack tidak-ada.yaml not found",
        "7 problems in 1 file; nothing was computed.",
    ]


def test_a_roster_for_a_unit_that_is_not_simulated_is_an_error() -> None:
    shown = problems(
        """\
schema_version: 1
name: rusak
dataset: MINI
proposal: {moves: [{nip: "198203142006042002", to: "PENGADMIN-KTP"}]}
horizon: {start: 2025-07-07, days: 5}
rosters:
  - {unit: PKM-SILUNGKANG, position: PERAWAT-PKM}
seed: 1
criteria: [{kind: imbalance_improves}]
"""
    )
    assert shown.splitlines()[0] == (
        "skenario.yaml:7:12: rosters.0.unit: unit PKM-SILUNGKANG is not simulated in this scenario, so this roster "
        "would have no effect. Add it to 'units' (now: DISDIK, LOKET-KTP)."
    )


def test_missing_files_and_a_plan_file_with_problems() -> None:
    Path("rencana.yaml").write_text('moves:\n  - {nip: "198203142006042002", too: X}\n', encoding="utf-8")
    shown = problems(
        """\
schema_version: 1
name: rusak
dataset: ../tidak-ada
proposal: rencana.yaml
horizon: {start: 2025-07-07, days: 5}
seed: 1
criteria: []
"""
    )
    assert shown.splitlines()[::3] == [
        "rencana.yaml:2:33: moves.0.too: unknown field 'too'. Did you mean 'to'?",
        "skenario.yaml:3:10: dataset: dataset folder ../tidak-ada not found",
        "skenario.yaml:7:11: criteria: list at least one approval criterion",
        "3 problems in 2 files; nothing was computed.",
    ]


def test_the_command_exits_with_2_and_lists_the_problems_on_stderr() -> None:
    Path("s.yaml").write_text("name: [x\n", encoding="utf-8")
    result = CliRunner().invoke(cli.simulate, ["s.yaml", "--lang", "en"])
    assert result.exit_code == ExitCode.INVALID_INPUT == 2
    assert result.stdout == ""
    assert result.stderr == (
        "s.yaml:2:1: YAML syntax error: a '[' is not closed by ']', or a comma is missing between its items\n"
        "1 problem in 1 file; nothing was computed.\n"
    )
    assert not Path("hasil-simulasi").exists()


def test_a_plan_file_can_hold_the_moves() -> None:
    """``proposal: FILE`` reads the moves from a plan file; the plan file is part of the scenario's digest."""
    Path("rencana.yaml").write_text('moves:\n  - {nip: "198203142006042002", to: PENGADMIN-KTP}\n', encoding="utf-8")
    text = f"""\
schema_version: 1
name: rencana
dataset: {MINI}
proposal: rencana.yaml
horizon: {{start: 2025-07-07, days: 5}}
seed: 1
criteria: [{{kind: imbalance_improves}}]
"""
    Path("s.yaml").write_text(text, encoding="utf-8")
    first = api.load_scenario("s.yaml")
    assert [(m.nip, m.to) for m in first.moves] == [("198203142006042002", "PENGADMIN-KTP")]
    Path("rencana.yaml").write_text(
        'moves:\n  - {nip: "199402022020121002", to: ANALIS-SDM-DISDIK}\n', encoding="utf-8"
    )
    assert api.load_scenario("s.yaml").digest != first.digest
