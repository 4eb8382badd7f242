"""Post-transfer monitoring (issue 13, item 4): flags, their edges, missing data, loading errors, the CLI.

The example follow-ups in datasets/pemantauan/ carry planted poor adaptations (their README lists them); the
monitor must flag exactly those, which is checked against an independent computation of the thresholds from
the raw CSV and JSON files (csv and json modules, not the seimbang loaders).
"""

from __future__ import annotations

import csv
import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from decision_support import api, cli
from decision_support.errors import ExitCode

ROOT = Path(__file__).resolve().parents[1]
SAWAHLUNTO = ROOT / "datasets" / "sawahlunto"
EXAMPLES = ROOT / "datasets" / "pemantauan"
SCENARIOS = ("disdukcapil-mpp", "disparpora-lebaran", "pemerataan-guru")
SKP_ORDER = ["sangat_baik", "baik", "butuh_perbaikan", "kurang", "sangat_kurang"]
WORSE_UP = {"wait_mean", "backlog_hours", "overtime_hours", "uncovered_hours_week"}

#: The planted poor adaptations, as datasets/pemantauan/README.md lists them: (kind, NIP or unit, months, metric).
PLANTED = {
    "disdukcapil-mpp": {
        ("low_satisfaction", "199611112016092171", 6, "satisfaction"),
        ("low_satisfaction", "199611112016092171", 12, "satisfaction"),
        ("skp_drop", "197206091997041255", 12, "skp_predicate"),
        ("service_worse", "LOKET-DUKCAPIL", 6, "wait_mean"),
        ("ej_out_of_band", "LOKET-DUKCAPIL", 6, "ej"),
        ("ej_out_of_band", "LOKET-DUKCAPIL", 12, "ej"),
        ("ej_out_of_band", "MPP", 6, "ej"),
        ("ej_out_of_band", "MPP", 12, "ej"),
        ("ej_out_of_band", "SETDA", 6, "ej"),
        ("ej_out_of_band", "SETDA", 12, "ej"),
    },
    "disparpora-lebaran": {
        ("low_satisfaction", "197406272008082130", 3, "satisfaction"),
        ("service_worse", "TIC", 6, "service_level"),
        ("ej_out_of_band", "TIC", 6, "ej"),
        ("ej_out_of_band", "DISPARPORA", 6, "ej"),
        ("ej_out_of_band", "INSPEKTORAT", 6, "ej"),
    },
    "pemerataan-guru": {
        ("skp_drop", "197903052011102160", 12, "skp_predicate"),
        ("low_satisfaction", "198211012006021416", 6, "satisfaction"),
        ("service_worse", "SMPN-09", 12, "uncovered_hours_week"),
    },
}


@pytest.fixture(scope="module")
def dataset() -> api.Dataset:
    return api.load_dataset(SAWAHLUNTO)


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.chdir(tmp_path)
    return CliRunner()


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def write_rows(path: Path, table: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, list(table[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(table)


def copy_example(tmp_path: Path, name: str = "disdukcapil-mpp") -> Path:
    folder = tmp_path / name
    shutil.copytree(EXAMPLES / name, folder)
    return folder


def expected_flags(name: str) -> set[tuple[str, str, int, str]]:
    """The documented default thresholds applied to the raw files, without any seimbang code."""
    folder = EXAMPLES / name
    projection = json.loads((folder / "proyeksi.json").read_text(encoding="utf-8"))
    manifest = (folder / "monitoring.yaml").read_text(encoding="utf-8")
    tmt_year = int(next(line for line in manifest.splitlines() if line.startswith("tmt:")).split()[1][:4])
    skp: dict[str, tuple[int, str]] = {}
    for row in rows(SAWAHLUNTO / "skp.csv"):
        year = int(row["year"])
        if year < tmt_year and (row["nip"] not in skp or skp[row["nip"]][0] < year):
            skp[row["nip"]] = (year, row["predicate"])
    found = set()
    for row in rows(folder / "employees.csv"):
        nip, months = row["nip"], int(row["checkpoint"])
        if row["satisfaction"] and float(row["satisfaction"]) < 3.0:
            found.add(("low_satisfaction", nip, months, "satisfaction"))
        before = skp.get(nip)
        if row["skp_predicate"] and before and SKP_ORDER.index(row["skp_predicate"]) - SKP_ORDER.index(before[1]) >= 1:
            found.add(("skp_drop", nip, months, "skp_predicate"))
    units = {u["id"]: u["metrics"] for u in projection["units"]}
    for row in rows(folder / "units.csv"):
        unit, months = row["unit"], int(row["checkpoint"])
        if months in (6, 12) and row["ej"] and not 0.90 <= float(row["ej"]) <= 1.00:
            found.add(("ej_out_of_band", unit, months, "ej"))
        for metric, estimate in units.get(unit, {}).items():
            if not row.get(metric):
                continue
            low, high = estimate["proposal"]["ci"]
            value = float(row[metric])
            worse = value > high if metric in WORSE_UP else value < low if metric == "service_level" else False
            if worse:
                found.add(("service_worse", unit, months, metric))
    return found


def monitor(dataset: api.Dataset, folder: Path, **kwargs: object) -> api.MonitoringReport:
    kwargs.setdefault("projection", folder / "proyeksi.json")
    return api.monitor(dataset, folder, **kwargs)  # type: ignore[arg-type]


# -- the examples ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", SCENARIOS)
def test_examples_flag_exactly_the_planted_cases(dataset: api.Dataset, name: str) -> None:
    report = monitor(dataset, EXAMPLES / name, plan=ROOT / "scenarios" / f"{name}.yaml")
    flagged = {(f.kind, f.id, f.checkpoint, f.metric) for f in report.flags}
    assert flagged == expected_flags(name)
    assert flagged == PLANTED[name]
    assert report.flagged


def test_example_edges_are_not_flagged(dataset: api.Dataset) -> None:
    """Satisfaction exactly 3.0 and an SKP predicate that rose are in the examples and raise nothing."""
    report = monitor(dataset, EXAMPLES / "disdukcapil-mpp")
    person = next(e for e in report.employees if e.nip == "197206091997041255")
    assert person.checkpoints[0].satisfaction == 3.0
    assert not [f for f in report.flags if f.id == "197206091997041255" and f.checkpoint == 3]
    report = monitor(dataset, EXAMPLES / "disparpora-lebaran")
    person = next(e for e in report.employees if e.nip == "197402021996032855")
    assert person.checkpoints[1].skp_predicate == "sangat_baik"
    assert not [f for f in report.flags if f.id == "197402021996032855"]


def test_missing_and_not_due_checkpoints_are_reported(dataset: api.Dataset) -> None:
    report = monitor(dataset, EXAMPLES / "pemerataan-guru")
    assert [(u.id, u.checkpoint, u.reason) for u in report.missing] == [("197502152003102997", 12, "missing")]
    person = next(e for e in report.employees if e.nip == "197502152003102997")
    assert person.checkpoints[2].status == "missing"
    report = monitor(dataset, EXAMPLES / "disparpora-lebaran")  # as_of 2026-12-15: 12 months due 2027-03-16
    assert {cp.status for e in report.employees for cp in e.checkpoints if cp.checkpoint == 12} == {"not_due"}
    assert not report.missing


# -- thresholds at their edges ---------------------------------------------------------------------------------


def edit(folder: Path, table: str, key: str, months: str, **values: str) -> None:
    path = folder / f"{table}.csv"
    content = rows(path)
    row = next(r for r in content if r["nip" if table == "employees" else "unit"] == key and r["checkpoint"] == months)
    row.update(values)
    write_rows(path, content)


@pytest.mark.parametrize(("value", "flagged"), [("3.0", False), ("2.99", True), ("3.01", False)])
def test_satisfaction_edge(dataset: api.Dataset, tmp_path: Path, value: str, flagged: bool) -> None:
    folder = copy_example(tmp_path)
    edit(folder, "employees", "199104182016011879", "3", satisfaction=value)
    report = monitor(dataset, folder)
    found = [f for f in report.flags if f.id == "199104182016011879" and f.kind == "low_satisfaction"]
    assert bool(found) is flagged


@pytest.mark.parametrize(
    ("value", "flagged"), [("0.9000", False), ("1.0000", False), ("0.8999", True), ("1.0001", True)]
)
def test_ej_band_edges(dataset: api.Dataset, tmp_path: Path, value: str, flagged: bool) -> None:
    folder = copy_example(tmp_path)
    edit(folder, "units", "SETDA", "6", ej=value)
    edit(folder, "units", "SETDA", "3", ej="0.5000")  # 3 months: outside the band but never judged there
    report = monitor(dataset, folder)
    found = {f.checkpoint for f in report.flags if f.id == "SETDA" and f.kind == "ej_out_of_band"}
    assert (6 in found) is flagged
    assert 3 not in found


def test_service_edge_is_the_interval_bound(dataset: api.Dataset, tmp_path: Path) -> None:
    folder = copy_example(tmp_path)
    projection = json.loads((folder / "proyeksi.json").read_text(encoding="utf-8"))
    mpp = next(u for u in projection["units"] if u["id"] == "MPP")["metrics"]
    high = mpp["wait_mean"]["proposal"]["ci"][1]
    low = mpp["service_level"]["proposal"]["ci"][0]
    edit(folder, "units", "MPP", "3", wait_mean=f"{high}", service_level=f"{low}")
    edit(folder, "units", "MPP", "6", wait_mean=f"{high + 0.01:.4f}", service_level=f"{low - 0.01:.4f}")
    report = monitor(dataset, folder)
    mpp_flags = {(f.checkpoint, f.metric) for f in report.flags if f.id == "MPP" and f.kind == "service_worse"}
    assert mpp_flags == {(6, "wait_mean"), (6, "service_level")}
    unit = next(u for u in report.units if u.unit == "MPP")
    at3 = {c.metric: c.status for c in unit.checkpoints[0].metrics}
    assert at3["wait_mean"] == at3["service_level"] == "as_projected"


def test_better_than_projected_is_no_flag_and_utilisation_has_no_side(dataset: api.Dataset, tmp_path: Path) -> None:
    folder = copy_example(tmp_path)
    edit(folder, "units", "MPP", "3", wait_mean="1.0000", utilisation="0.5000")
    report = monitor(dataset, folder)
    statuses = {c.metric: c.status for c in next(u for u in report.units if u.unit == "MPP").checkpoints[0].metrics}
    assert statuses["wait_mean"] == "better_than_projected"
    assert statuses["utilisation"] == "not_as_projected"
    assert not [f for f in report.flags if f.id == "MPP" and f.kind == "service_worse"]


def test_skp_drop_needs_a_pre_move_predicate(dataset: api.Dataset, tmp_path: Path) -> None:
    """A TMT in the first year of the SKP history leaves no earlier predicate: cannot be judged, no flag."""
    folder = copy_example(tmp_path)
    manifest = (folder / "monitoring.yaml").read_text(encoding="utf-8")
    (folder / "monitoring.yaml").write_text(manifest.replace("tmt: 2026-07-13", "tmt: 2023-01-02"), encoding="utf-8")
    for row_file in ("employees.csv", "units.csv"):
        table = rows(folder / row_file)
        for row in table:
            row["observed_on"] = ""
        write_rows(folder / row_file, table)
    report = monitor(dataset, folder)
    assert not [f for f in report.flags if f.kind == "skp_drop"]
    reasons = {(u.id, u.checkpoint) for u in report.unjudged if u.reason == "no_pre_move_skp"}
    assert ("197206091997041255", 12) in reasons


def test_policy_file_changes_thresholds(dataset: api.Dataset, tmp_path: Path) -> None:
    folder = copy_example(tmp_path)
    (folder / "policy.yaml").write_text(
        "schema_version: 1\nsatisfaction_min: 2.7\nskp_drop_levels: 2\nej_min: 0.5\nej_max: 1.5\n"
        "service_tolerance_pct: 25\nattendance_min_pct: 96\n",
        encoding="utf-8",
    )
    report = monitor(dataset, folder)
    kinds = {(f.kind, f.id, f.checkpoint) for f in report.flags}
    assert ("low_satisfaction", "199611112016092171", 6) in kinds  # 2.6 < 2.7
    assert ("low_satisfaction", "199611112016092171", 12) not in kinds  # 2.8 >= 2.7
    assert not [k for k in kinds if k[0] in ("skp_drop", "ej_out_of_band", "service_worse")]
    low = {(i, c) for k, i, c in kinds if k == "low_attendance"}
    expected = {
        (r["nip"], int(r["checkpoint"]))
        for r in rows(folder / "employees.csv")
        if r["attendance_pct"] and float(r["attendance_pct"]) < 96
    }
    assert low == expected and low
    assert report.policy_file is not None and report.policy_file.endswith("policy.yaml")


# -- without a projection --------------------------------------------------------------------------------------


def test_without_projection_service_metrics_cannot_be_judged(dataset: api.Dataset) -> None:
    folder = EXAMPLES / "disdukcapil-mpp"
    report = api.monitor(dataset, folder, plan=ROOT / "scenarios" / "disdukcapil-mpp.yaml")
    assert not [f for f in report.flags if f.kind == "service_worse"]
    reasons = {u.reason for u in report.unjudged if u.subject == "unit"}
    assert reasons == {"no_projection"}
    loket = next(u for u in report.units if u.unit == "LOKET-DUKCAPIL")
    assert {c.status for c in loket.checkpoints[1].metrics} == {"no_projection"}
    # The EJ band needs no simulation: it is still judged.
    assert {f.id for f in report.flags if f.kind == "ej_out_of_band"} == {"SETDA", "MPP", "LOKET-DUKCAPIL"}
    with api.language("en"):
        text = api.render_monitoring(report)
    assert "No projection given: service metrics cannot be judged." in text
    assert "cannot be judged: no projection" in text


def test_ej_of_a_unit_without_abk_is_not_asked_for(dataset: api.Dataset) -> None:
    """Schools count teachers by JTM: no ABK EJ is projected, and no missing EJ is reported for them."""
    report = monitor(dataset, EXAMPLES / "pemerataan-guru")
    assert not [u for u in report.unjudged if u.metric == "ej"]
    assert all(u.ej_projected is None for u in report.units)


# -- loading errors --------------------------------------------------------------------------------------------


def test_loading_errors_are_located_and_all_reported(dataset: api.Dataset, tmp_path: Path) -> None:
    folder = copy_example(tmp_path)
    table = rows(folder / "employees.csv")
    table[0]["nip"] = "199104182016011878"  # one digit off
    table[1]["checkpoint"] = "4"
    table[2]["satisfaction"] = "6"
    table[3]["skp_predicate"] = "bagus sekali"
    table[4]["observed_on"] = "2025-01-01"
    table[5]["checkpoint"] = table[4]["checkpoint"]  # a second row for the same NIP and checkpoint
    write_rows(folder / "employees.csv", table)
    units = rows(folder / "units.csv")
    units[0]["unit"] = "SETDAA"
    write_rows(folder / "units.csv", units)
    with api.language("en"), pytest.raises(api.InputError) as caught:
        monitor(dataset, folder)
    text = caught.value.render()
    assert "employees.csv:2:1: NIP 199104182016011878: nip:" in text
    assert "Did you mean '199104182016011879'?" in text
    assert "employees.csv:3:2:" in text and "expected one of: 3, 6, 12" in text
    assert "employees.csv:4:4:" in text and "must be <= 5" in text
    assert "employees.csv:5:5:" in text and "'bagus_sekali' is not allowed" in text
    assert "employees.csv:6:3:" in text and "outside the monitoring period" in text
    assert "employees.csv:7:2:" in text and "a second row for checkpoint" in text
    assert "units.csv:2:1: unit SETDAA: unit: unit SETDAA is not in the dataset. Did you mean 'SETDA'?" in text
    assert len(caught.value.problems) == 7


def test_missing_manifest_and_unknown_file(dataset: api.Dataset, tmp_path: Path) -> None:
    folder = copy_example(tmp_path)
    (folder / "monitoring.yaml").unlink()
    (folder / "employes.csv").write_text("nip\n", encoding="utf-8")
    with api.language("en"), pytest.raises(api.InputError) as caught:
        monitor(dataset, folder)
    text = caught.value.render()
    assert "monitoring.yaml: the monitoring manifest monitoring.yaml is missing" in text
    assert "employes.csv: this file is not part of the observations format" in text
    assert "Did you mean 'employees'?" in text


def test_bad_projection_json_is_located(dataset: api.Dataset, tmp_path: Path) -> None:
    folder = copy_example(tmp_path)
    (folder / "proyeksi.json").write_text('{"schema": "seimbang.simulation/1",\n  "run": }\n', encoding="utf-8")
    with api.language("en"), pytest.raises(api.InputError) as caught:
        monitor(dataset, folder)
    assert "proyeksi.json:2:10: not valid JSON" in caught.value.render()


def test_projection_of_other_moves_is_refused(dataset: api.Dataset) -> None:
    with api.language("en"), pytest.raises(api.InputError) as caught:
        monitor(dataset, EXAMPLES / "disdukcapil-mpp", projection=EXAMPLES / "disparpora-lebaran" / "proyeksi.json")
    text = caught.value.render()
    assert "the projection simulated other moves than the plan names" not in text  # no plan given: its moves rule
    assert "is not among the moved employees" in text


def test_plan_and_projection_must_agree(dataset: api.Dataset) -> None:
    with api.language("en"), pytest.raises(api.InputError) as caught:
        monitor(dataset, EXAMPLES / "disdukcapil-mpp", plan=ROOT / "scenarios" / "disparpora-lebaran.yaml")
    assert "the projection simulated other moves than the plan names" in caught.value.render()


# -- the command line ------------------------------------------------------------------------------------------


def run(runner: CliRunner, folder: Path, *args: str):
    return runner.invoke(
        cli.main, ["monitor", str(SAWAHLUNTO), str(folder), "--projection", str(folder / "proyeksi.json"), *args]
    )


def test_cli_flags_exit_1_in_indonesian_and_writes_html(runner: CliRunner) -> None:
    result = run(runner, EXAMPLES / "disparpora-lebaran", "--html", "laporan.html")
    assert result.exit_code == ExitCode.NEGATIVE_VERDICT, result.output
    assert "Kepuasan kerja rendah" in result.output
    assert "tinjau ulang pada periode 2027-03" in result.output  # the next checkpoint still to come
    assert "Layanan lebih buruk dari proyeksi" in result.output
    page = Path("laporan.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and '<html lang="id">' in page
    assert page.count("<svg") >= 3 and "Proyeksi terhadap pengamatan, per unit" in page
    assert "Pemantauan pascamutasi" in page


def test_cli_no_flag_exits_0_in_english(runner: CliRunner, tmp_path: Path) -> None:
    policy = tmp_path / "lenient.yaml"
    policy.write_text(
        "schema_version: 1\nsatisfaction_min: 1.0\nskp_drop_levels: 4\nej_min: 0\nej_max: 10\n"
        "service_tolerance_pct: 50\n",
        encoding="utf-8",
    )
    result = run(runner, EXAMPLES / "disdukcapil-mpp", "--policy", str(policy), "--lang", "en")
    assert result.exit_code == ExitCode.OK, result.output
    assert "0 flags; 0 due checkpoints without observations" in result.output
    assert "No poor adaptation flagged in what could be judged." in result.output


def test_cli_json_and_csv(runner: CliRunner) -> None:
    result = run(runner, EXAMPLES / "pemerataan-guru", "--format", "json")
    assert result.exit_code == ExitCode.NEGATIVE_VERDICT
    data = json.loads(result.output)
    assert data["schema"] == "seimbang.monitoring/1" and data["flagged"] is True
    assert {(f["kind"], f["id"]) for f in data["flags"]} == {(k, i) for k, i, _c, _m in PLANTED["pemerataan-guru"]}
    assert data["tmt"] == "2026-07-13" and data["policy"]["satisfaction_min"] == 3.0
    result = run(runner, EXAMPLES / "pemerataan-guru", "--format", "csv", "-o", "hasil.csv")
    assert result.exit_code == ExitCode.NEGATIVE_VERDICT
    table = rows(Path("hasil.csv"))
    assert list(table[0]) == [
        "subject", "id", "name", "checkpoint", "due", "status", "metric", "observed", "projected", "low", "high",
        "judgement", "flag",
    ]  # fmt: skip
    assert sum(1 for r in table if r["flag"]) == len(PLANTED["pemerataan-guru"])
    missing = [r for r in table if r["status"] == "missing"]
    assert [(r["id"], r["checkpoint"]) for r in missing] == [("197502152003102997", "12")]


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "employees.csv:3:2: NIP 199104182016011879: checkpoint: '5' is not allowed; expected one of: 3, 6, 12"),
        ("id", "employees.csv:3:2: NIP 199104182016011879: checkpoint: '5' tidak diizinkan"),
    ],
)
def test_cli_bad_input_exits_2(runner: CliRunner, tmp_path: Path, lang: str, expected: str) -> None:
    folder = copy_example(tmp_path)
    edit(folder, "employees", "199104182016011879", "6", checkpoint="5")
    result = run(runner, folder, "--lang", lang)
    assert result.exit_code == ExitCode.INVALID_INPUT
    assert expected in result.output
    assert "Traceback" not in result.output


def test_cli_needs_the_moves(runner: CliRunner) -> None:
    result = runner.invoke(cli.main, ["monitor", str(SAWAHLUNTO), str(EXAMPLES / "disdukcapil-mpp"), "--lang", "en"])
    assert result.exit_code == ExitCode.INVALID_INPUT
    assert "name the approved moves: a projection (--projection) or a plan or scenario (--plan)" in result.output


def test_review_dates_follow_the_checkpoints(dataset: api.Dataset) -> None:
    report = monitor(dataset, EXAMPLES / "disparpora-lebaran")
    low = next(f for f in report.flags if f.kind == "low_satisfaction")
    assert low.review_by == date(2027, 3, 16)  # 12 months after the TMT, the next checkpoint after as_of
    report = monitor(dataset, EXAMPLES / "disdukcapil-mpp")  # every checkpoint past: 3 months after as_of
    assert {f.review_by for f in report.flags} == {date(2027, 10, 31)}


# -- other table formats and invariants --------------------------------------------------------------------------


def test_yaml_and_xlsx_tables_read_like_csv(dataset: api.Dataset, tmp_path: Path) -> None:
    import openpyxl
    import yaml

    folder = copy_example(tmp_path)
    employees = rows(folder / "employees.csv")
    (folder / "employees.csv").unlink()
    entries = [{k: v for k, v in row.items() if v} for row in employees]
    (folder / "employees.yaml").write_text(yaml.safe_dump(entries, allow_unicode=True), encoding="utf-8")
    units = rows(folder / "units.csv")
    (folder / "units.csv").unlink()
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(units[0]))
    for row in units:
        sheet.append([float(v) if k not in ("unit", "observed_on", "note") and v else v for k, v in row.items()])
    book.save(folder / "units.xlsx")
    report = monitor(dataset, folder)
    assert {(f.kind, f.id, f.checkpoint, f.metric) for f in report.flags} == PLANTED["disdukcapil-mpp"]


def test_xlsx_nip_as_number_is_located(dataset: api.Dataset, tmp_path: Path) -> None:
    import openpyxl

    folder = copy_example(tmp_path)
    employees = rows(folder / "employees.csv")
    (folder / "employees.csv").unlink()
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(employees[0]))
    for row in employees:
        sheet.append([int(row["nip"]), int(row["checkpoint"]), row["observed_on"], float(row["satisfaction"])])
    book.save(folder / "employees.xlsx")
    with api.language("en"), pytest.raises(api.InputError) as caught:
        monitor(dataset, folder)
    text = caught.value.render()
    assert "employees.xlsx:2:1:" in text and "Format the column as Text" in text


@given(
    low=st.floats(0, 100, allow_nan=False),
    width=st.floats(0, 50, allow_nan=False),
    observed=st.floats(0, 200, allow_nan=False),
    worse=st.sampled_from(["up", "down", ""]),
)
def test_compare_judges_by_the_interval(low: float, width: float, observed: float, worse: str) -> None:
    from decision_support.models.monitoring import ProjectedComparison
    from decision_support.monitoring.engine import compare

    high = low + width
    estimate = {"mean": low + width / 2, "ci": (low, high), "n": 30}
    projected = ProjectedComparison.model_validate(
        {"baseline": estimate, "proposal": estimate, "difference": estimate, "worse_share": None}
    )
    status = compare("m", observed, projected, worse).status
    if low <= observed <= high:
        assert status == "as_projected"
    elif not worse:
        assert status == "not_as_projected"
    elif (observed > high and worse == "up") or (observed < low and worse == "down"):
        assert status == "worse_than_projected"
    else:
        assert status == "better_than_projected"


def test_dataset_after_the_moves_is_refused(dataset: api.Dataset) -> None:
    """The pre-move position and SKP come from the dataset: one that already has the moves cannot give them."""
    from decision_support.monitoring.engine import Move, moved_dataset

    person = next(e for e in dataset.employees if e.nip == "199104182016011879")
    after = moved_dataset(
        dataset, [Move(person.nip, person.name, "", "", "LOKET-DUKCAPIL.OPERATOR-DUKCAPIL", "LOKET-DUKCAPIL")]
    )
    with api.language("en"), pytest.raises(api.InputError) as caught:
        monitor(after, EXAMPLES / "disdukcapil-mpp")
    assert (
        "NIP 199104182016011879 already holds LOKET-DUKCAPIL.OPERATOR-DUKCAPIL in the dataset" in caught.value.render()
    )


def test_projection_of_another_dataset_is_refused(dataset: api.Dataset) -> None:
    other = dataset.model_copy(update={"manifest": dataset.manifest.model_copy(update={"name": "Kota Lain"})})
    with api.language("en"), pytest.raises(api.InputError) as caught:
        monitor(other, EXAMPLES / "disdukcapil-mpp")
    assert "the projection was simulated on the dataset 'Kota Sawahlunto (data sintetis)', not on 'Kota Lain'" in (
        caught.value.render()
    )


def test_a_plan_move_outside_the_dataset_is_located(dataset: api.Dataset, tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        'moves:\n  - {nip: "199104182016011879", to: "LOKET-DUKCAPIL.OPERATOR-DUKCAPL"}\n', encoding="utf-8"
    )
    with api.language("en"), pytest.raises(api.InputError) as caught:
        api.monitor(dataset, EXAMPLES / "disdukcapil-mpp", plan=plan)
    text = caught.value.render()
    assert "plan.yaml:2:5: NIP 199104182016011879: position LOKET-DUKCAPIL.OPERATOR-DUKCAPL of a move is not" in text
    assert "Did you mean 'LOKET-DUKCAPIL.OPERATOR-DUKCAPIL'?" in text


def test_example_generator_is_deterministic(tmp_path: Path) -> None:
    """The committed examples are exactly what scripts/make_monitoring_examples.py writes."""
    import subprocess
    import sys

    for name in SCENARIOS:
        (tmp_path / name).mkdir()
        shutil.copy(EXAMPLES / name / "proyeksi.json", tmp_path / name / "proyeksi.json")
    script = ROOT / "scripts" / "make_monitoring_examples.py"
    subprocess.run([sys.executable, str(script), "--out", str(tmp_path)], check=True, capture_output=True)
    for name in SCENARIOS:
        for file in ("monitoring.yaml", "employees.csv", "units.csv"):
            assert (tmp_path / name / file).read_bytes() == (EXAMPLES / name / file).read_bytes(), (name, file)
