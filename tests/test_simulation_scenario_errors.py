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


# -- every number is bounded: no internal error, no spurious follow-on problem --------------------------------
ABSURD = """\
schema_version: 1
name: angka mustahil
dataset: {dataset}
proposal:
  moves:
    - {{nip: "198203142006042002", to: "PENGADMIN-KTP"}}
horizon: {{start: 2025-07-07, days: 5}}
max_overtime_minutes: 1e6
demand:
  multiplier: 1e300
  services: {{REKAM-KTP: .inf}}
seed: 1
criteria:
  - {{kind: max_wait, minutes: .nan}}
"""


def absurd_dataset(per_hour: str) -> Path:
    """A copy of the mini dataset whose KTP service has one arrival slot at ``per_hour``."""
    import shutil

    folder = Path("absurd")
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(MINI, folder)
    services = (folder / "services.yaml").read_text(encoding="utf-8")
    start = services.index("      - day_type: fri")
    services = services[:start] + services[services.index("    monthly:") :]
    (folder / "services.yaml").write_text(services.replace("per_hour: 12", f"per_hour: {per_hour}", 1), "utf-8")
    return folder


@pytest.mark.parametrize(
    ("per_hour", "expected"),
    [
        (".inf", "must be a finite number, got inf"),
        ("1e12", "must be <= 10000.0, got 1e12"),
        ("-3", "must be >= 0.0, got -3"),
        (".nan", "must be a finite number, got nan"),
    ],
)
def test_absurd_numbers_are_located_input_errors_without_follow_on_problems(per_hour: str, expected: str) -> None:
    folder = absurd_dataset(per_hour)
    shown = problems(ABSURD.format(dataset=folder.resolve()).replace("MINI", str(MINI)))
    lines = [line for line in shown.splitlines() if ": " in line and line[0] != " "]
    assert lines == [
        f"absurd/services.yaml:9:19: service REKAM-KTP: demand.slots.0.per_hour: {expected}",
        "skenario.yaml:8:23: max_overtime_minutes: must be <= 720.0, got 1e6",
        "skenario.yaml:10:15: demand.multiplier: must be <= 100.0, got 1e300",
        "skenario.yaml:11:25: demand.services.REKAM-KTP: must be a finite number, got inf",
        "skenario.yaml:14:31: criteria.0.minutes: must be a finite number, got nan",
    ], shown
    assert "must not be empty" not in shown


HUGE = """\
schema_version: 1
name: terlalu besar
dataset: MINI
proposal:
  moves:
    - {nip: "198203142006042002", to: "PENGADMIN-KTP"}
horizon: {start: 2025-07-07, days: 366}
demand: {multiplier: 100}
replications: 10000
seed: 1
criteria:
  - {kind: max_wait, minutes: 60}
"""


def test_a_run_beyond_the_work_limit_is_refused_before_it_starts() -> None:
    Path("besar.yaml").write_text(HUGE.replace("MINI", str(MINI)), encoding="utf-8")
    result = CliRunner().invoke(cli.simulate, ["besar.yaml", "--lang", "en", "--no-html", "-j", "1"])
    assert result.exit_code == ExitCode.INVALID_INPUT, result.output
    assert "besar.yaml:9:15: replications: this run would simulate about 24,347,200,000 customer visits" in (
        result.stderr
    )
    assert "the limit is 50,000,000" in result.stderr and "Traceback" not in result.output
    assert "Replications" not in result.stderr  # refused before the progress bar starts


def test_the_work_estimate_is_the_expected_number_of_arrivals() -> None:
    """One Monday in July, no back office: 12 customers an hour from 08:00 to 12:00, July factor 1.3."""
    from decision_support.simulation.plan import build_plan
    from decision_support.simulation.work import estimate_work

    text = HUGE.replace("MINI", str(MINI)).replace("days: 366", "days: 1").replace("multiplier: 100", "multiplier: 2")
    text += "back_office: {enabled: false}\nunits: [LOKET-KTP]\n"
    Path("satu.yaml").write_text(text, encoding="utf-8")
    work = estimate_work(build_plan(api.load_scenario("satu.yaml")), replications=3)
    assert work.per_arm == pytest.approx(12 * 4 * 1.3 * 2)
    assert work.total == pytest.approx(12 * 4 * 1.3 * 2 * 2 * 3) and not work.too_large


def test_an_absurd_abk_volume_is_refused_by_the_work_estimate_naming_its_source() -> None:
    """A volume of 1e300 files a year passes the dataset's checks; the run is refused, not an internal error."""
    import shutil

    shutil.copytree(MINI, "besar")
    workload = Path("besar/workload.csv")
    lines = workload.read_text(encoding="utf-8").splitlines()
    fields = lines[1].split(",")
    fields[3] = "1e300"
    lines[1] = ",".join(fields)
    workload.write_text("\n".join(lines) + "\n", encoding="utf-8")
    text = (
        HUGE.replace("MINI", "besar").replace("days: 366", "days: 3").replace("replications: 10000", "replications: 3")
    )
    Path("volume.yaml").write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli.simulate, ["volume.yaml", "--lang", "en", "--no-html", "-j", "1"])
    assert result.exit_code == ExitCode.INVALID_INPUT, result.output
    assert "about 1.53e+299 customer visits" in result.stderr
    assert "The largest part is DISDIK/ANALIS-SDM-DISDIK" in result.stderr


def test_the_old_name_finish_current_is_read_as_finish_then_leave() -> None:
    text = HUGE.replace("MINI", str(MINI)).replace("days: 366", "days: 1") + "shift_change: finish_current\n"
    Path("lama.yaml").write_text(text, encoding="utf-8")
    assert api.load_scenario("lama.yaml").scenario.shift_change == "finish_then_leave"
    Path("salah.yaml").write_text(text.replace("finish_current", "finish_own"), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        api.load_scenario("salah.yaml")
    assert "expected one of: finish_then_leave, preempt_resume" in caught.value.render()
