"""Participation: the views model, the participation table, the survey import, the facts the rules read, the
plan's treatment of objections and the consultation summary (API and CLI, in Indonesian and English)."""

from __future__ import annotations

import csv
import functools
import io
import json
import shutil
from pathlib import Path

import openpyxl
import pytest
import yaml
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from decision_support import api, cli
from decision_support.errors import ExitCode
from decision_support.models import Reason, StatedView, ViewKind
from decision_support.models.participation import stance_on, views_of
from decision_support.rules.evaluation import PairFacts

ROOT = Path(__file__).resolve().parents[1]
SAWAHLUNTO = ROOT / "datasets" / "sawahlunto"
CONTOH = ROOT / "docs" / "examples" / "contoh"
ATURAN = ROOT / "docs" / "examples" / "aturan"
SURVEY = ROOT / "docs" / "examples" / "survei-partisipasi.csv"
SCENARIOS = ROOT / "scenarios"

#: Employees of the Sawahlunto example with participation rows (scripts/sawahlunto/participation.py).
REFKI, YOSERIZAL, FITRI = "199104182016011879", "197206091997041255", "199611112016092171"
BAYU, ELVI, DESI, ULFA = "197412211998121633", "196804302000102188", "198910112013042100", "197610102011012115"


@functools.cache
def sawahlunto() -> api.Dataset:
    return api.load_dataset(SAWAHLUNTO)


def run(*args: str):
    return CliRunner().invoke(cli.main, list(args))


@pytest.fixture(autouse=True)
def english():
    """API-level messages in English (the CLI tests choose their language with --lang)."""
    with api.language("en"):
        yield


# -- the model ------------------------------------------------------------------------------------


def test_a_view_takes_indonesian_spellings_and_checks_what_each_kind_needs() -> None:
    view = StatedView(nip=DESI, kind="Keberatan", unit="SMPN-07", reason="Tempat kerja suami/istri")
    assert (view.kind, view.reason) == (ViewKind.OBJECTION, Reason.SPOUSE)
    assert StatedView(nip=DESI, kind="harapan", note="x").kind is ViewKind.HOPE
    assert StatedView(nip=DESI, kind="wish", unit="SMPN-07", rank=1, reason="Kesehatan").reason is Reason.HEALTH
    for bad, field in (
        ({"kind": "wish", "rank": 1}, "unit"),
        ({"kind": "wish", "unit": "SMPN-07"}, "rank"),
        ({"kind": "objection", "rank": 2}, "rank"),
        ({"kind": "hope"}, "note"),
        ({"kind": "wish", "unit": "SMPN-07", "rank": 1, "reason": "gaji"}, "reason"),
        ({"kind": "objection", "colour": "red"}, "colour"),
    ):
        with pytest.raises(ValidationError) as caught:
            StatedView(nip=DESI, **bad)
        assert field in str(caught.value) or field in ("unit", "rank", "note")


def test_preferences_csv_rows_are_read_as_views() -> None:
    """The migration: an old wish stays a wish, an avoided unit is an objection to that unit."""
    dataset = api.load_dataset(CONTOH)
    budi = next(e for e in dataset.employees if e.nip == "198506202010011003")
    assert {(v.kind.value, v.unit, v.rank, v.note) for v in views_of(budi)} == {
        ("wish", "SMPN-1-TALAWI", 1, "dekat rumah"),
        ("objection", "PKM-SILUNGKANG", None, None),
    }
    assert stance_on(budi, "PKM-SILUNGKANG").objected and not stance_on(budi, "DINKES").objected


# -- the participation table ------------------------------------------------------------------------


def test_the_example_dataset_loads_its_participation_rows() -> None:
    by_nip = {e.nip: e for e in sawahlunto().employees}
    assert len(by_nip[FITRI].participation) == 2
    general = by_nip[YOSERIZAL].participation[0]
    assert (general.kind, general.unit, general.reason, general.stated_on.isoformat()) == (
        ViewKind.OBJECTION,
        None,
        Reason.HEALTH,
        "2026-05-05",
    )


def _with_participation(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "contoh"
    shutil.copytree(CONTOH, folder)
    (folder / "participation.csv").write_text(text, encoding="utf-8")
    return folder


def test_participation_rows_are_checked_against_the_dataset_and_preferences(tmp_path: Path) -> None:
    folder = _with_participation(
        tmp_path,
        "nip,kind,unit,position,rank,reason,note,stated_on\n"
        "198506202010011003,wish,DISDUKCAPL,,2,family,,2025-06-01\n"  # unit typo
        "198506202010011003,wish,SMPN-1-TALAWI,,3,,,\n"  # also a wish in preferences.csv
        "198506202010011003,wish,BKPSDM,,1,,,\n"  # rank 1 is taken by preferences.csv
        "199107222019032005,objection,BKPSDM,GURU-KELAS-SDN01,,health,,\n",  # position of another unit
    )
    result = run("check", str(folder), "--lang", "en")
    assert result.exit_code == ExitCode.INVALID_INPUT
    text = result.output
    assert "participation.csv:2:3: NIP 198506202010011003: unit: unit 'DISDUKCAPL' is not defined" in text
    assert "Did you mean 'DISDUKCAPIL'?" in text
    assert (
        "participation.csv:3:3: NIP 198506202010011003: unit: this wish for unit 'SMPN-1-TALAWI' is stated twice"
        in text
    )
    assert "participation.csv:4:5: NIP 198506202010011003: rank: wish rank 1 is used twice for this NIP" in text
    assert "position GURU-KELAS-SDN01 belongs to unit 'SDN-01-BARANGIN', not to 'BKPSDM'" in text
    assert "participation.csv:2:3: NIP 198506202010011003: unit: unit 'DISDUKCAPL' tidak" not in text


# -- the facts the rules read -----------------------------------------------------------------------


@functools.cache
def pairs() -> PairFacts:
    dataset = sawahlunto()
    return PairFacts(dataset, api.analyse_workload(dataset), dataset.as_of)


def test_facts_of_an_objection_to_any_move_on_health_grounds() -> None:
    facts = pairs().pair(YOSERIZAL, "LOKET-DUKCAPIL.OPERATOR-DUKCAPIL")
    assert facts["move.objected"] is True and facts["move.avoided"] is False
    assert facts["move.objection_reason"] == "health"
    assert facts["employee.objects_to_any_move"] is True
    assert facts["employee.stated_reasons"] == ["health"]


def test_facts_of_a_wish_and_of_an_objection_to_one_unit() -> None:
    wished = pairs().pair(DESI, "SDN-18-TALAWI.GURU-KELAS")
    assert (wished["move.wished"], wished["move.wish_rank"], wished["move.wish_reason"]) == (True, 1, "spouse")
    assert wished["move.objected"] is False and "move.objection_reason" not in wished
    objected = pairs().pair(ELVI, "SMPN-07.GURU-IPA")
    assert objected["move.objected"] is objected["move.avoided"] is True
    assert objected["move.objection_reason"] == "health"
    elsewhere = pairs().pair(ELVI, "SMPN-11.GURU-IPA")
    assert elsewhere["move.objected"] is False and elsewhere["employee.objects_to_any_move"] is False


def test_the_sawahlunto_soft_rules_lower_the_score_of_a_move_against_an_objection() -> None:
    dataset = sawahlunto()
    report = api.analyse_workload(dataset)
    ruleset = api.check_rules([ROOT / "rules"])
    explanation = api.explain_move(dataset, report, ruleset, YOSERIZAL, "LOKET-DUKCAPIL.OPERATOR-DUKCAPIL")
    points = {r.rule: r.points for r in explanation.decision.results if r.outcome.value == "pass"}
    assert points["keberatan_dimutasi"] == -10
    assert points["keberatan_alasan_kesehatan_atau_pasangan"] == -6
    other = api.explain_move(dataset, report, ruleset, REFKI, "LOKET-DUKCAPIL.OPERATOR-DUKCAPIL")
    assert not {"keberatan_dimutasi", "keberatan_alasan_kesehatan_atau_pasangan"} & {
        r.rule for r in other.decision.results if r.outcome.value == "pass"
    }


# -- the plan ------------------------------------------------------------------------------------


def _plan(folder: Path, tmp_path: Path, name: str) -> dict:
    out = tmp_path / name
    result = run("plan", str(folder), "--rules", str(ATURAN), "-o", str(out), "--lang", "en")
    assert result.exit_code == ExitCode.OK, result.output
    return {"stdout": result.stdout, **yaml.safe_load(out.read_text(encoding="utf-8"))}


def test_the_balance_stage_moves_someone_who_did_not_object_when_it_can(tmp_path: Path) -> None:
    """Contoh: BKPSDM has two analysts and one of them must go; the plan takes Rina unless she objects."""
    before = _plan(CONTOH, tmp_path, "before.yaml")
    forced = [d for d in before["plan"]["details"] if d["stage"] == "balance"]
    assert [d["nip"] for d in forced] == ["198203142006042002"]
    objecting = _with_participation(
        tmp_path, "nip,kind,unit,position,rank,reason,note,stated_on\n198203142006042002,objection,,,,health,,\n"
    )
    after = _plan(objecting, tmp_path, "after.yaml")
    forced = [d for d in after["plan"]["details"] if d["stage"] == "balance"]
    assert [(d["nip"], d["against_objection"]) for d in forced] == [("199107222019032005", False)]
    assert after["plan"]["metrics"]["transfers"]["against_objection"] == 0


def test_a_move_against_an_objection_is_flagged_when_nobody_else_can_go(tmp_path: Path) -> None:
    both = _with_participation(
        tmp_path,
        "nip,kind,unit,position,rank,reason,note,stated_on\n"
        "198203142006042002,objection,,,,health,berobat rutin,\n199107222019032005,objection,,,,spouse,,\n",
    )
    plan = _plan(both, tmp_path, "plan.yaml")
    flagged = [d for d in plan["plan"]["details"] if d["against_objection"]]
    assert [(d["nip"], d["objection_reason"]) for d in flagged] == [("198203142006042002", "health")]
    note = next(m["note"] for m in plan["moves"] if m["nip"] == "198203142006042002")
    assert note.endswith("AGAINST THE EMPLOYEE'S STATED OBJECTION")
    assert "1 move goes against the employee's stated objection" in plan["stdout"]
    summary = run("participation", "summary", str(tmp_path / "plan.yaml"), str(both), "--lang", "en")
    assert summary.exit_code == ExitCode.OK, summary.output
    assert 'objected to being moved, on grounds of health: "berobat rutin"' in summary.stdout
    assert (
        "-> moved to SDN-01-BARANGIN anyway: not honoured, because the plan's balance stage chose the move to "
        'bring staffing closer to the ABK need; the proposal states: "6 years in the current post: due for '
        'rotation (+10)"; "The target post is short of staff (gap -2) (+10)"'
    ) in summary.stdout


# -- the consultation summary ----------------------------------------------------------------------


def _entries(summary: api.ConsultationSummary) -> dict[str, api.ConsultationSummary]:
    return {e.nip: e for e in summary.entries}


def test_summary_of_a_scenario_says_what_is_honoured_and_why_not() -> None:
    proposal = api.load_proposal(SCENARIOS / "disdukcapil-mpp.yaml")
    summary = api.consultation_summary(proposal.dataset, proposal, proposed_on=api.parse_date("2026-05-05"))
    entries = _entries(summary)
    assert [v.treatment.value for v in entries[REFKI].views] == ["honoured"]
    assert entries[YOSERIZAL].overall is api.Treatment.NOT_HONOURED
    assert entries[YOSERIZAL].reasons == ("di SETDA sejak 2016",)
    assert [v.treatment.value for v in entries[FITRI].views] == ["honoured", "for_discussion"]
    assert entries[REFKI].views[0].after_proposal is False
    with api.language("en"):
        text = api.render_consultation(summary)
    assert "Affected employees: 3; honoured 2, partly 0, not honoured 1" in text
    assert "-> moved to LOKET-DUKCAPIL: honoured" in text
    assert '-> moved to LOKET-DUKCAPIL anyway: not honoured, because the proposal states: "di SETDA sejak 2016"' in text
    assert "-> not moved to KEC-TALAWI: honoured" in text
    assert "free text: the program cannot judge it; discuss it in the consultation" in text
    with api.language("id"):
        text = api.render_consultation(summary)
    assert "tidak dipenuhi" in text and "dipenuhi" in text


def test_summary_without_stated_reasons_says_so_and_marks_late_views() -> None:
    proposal = api.load_proposal(SCENARIOS / "pemerataan-guru.yaml")
    summary = api.consultation_summary(proposal.dataset, proposal, proposed_on=api.parse_date("2026-06-01"))
    entries = _entries(summary)
    assert entries[BAYU].views[0].treatment is api.Treatment.NOT_HONOURED
    assert entries[DESI].overall is api.Treatment.HONOURED
    assert entries[ULFA].views[0].after_proposal is True
    assert entries["197903052011102160"].overall is api.Treatment.NO_VIEW
    with api.language("en"):
        text = api.render_consultation(summary)
    assert "because (the proposal gives no reason for this move)" in text
    assert "[stated after the proposal]" in text


def test_a_wish_not_taken_because_another_wish_is_honoured() -> None:
    dataset = api.load_dataset(CONTOH)
    moves = [api.ProposedMove(nip="198506202010011003", to="GURU-BIND-SMPN1")]
    with_second = dataset.model_copy(
        update={
            "employees": tuple(
                e.model_copy(
                    update={
                        "participation": (
                            StatedView(nip=e.nip, kind="wish", unit="DISDIK", rank=2, reason="competence"),
                        )
                    }
                )
                if e.nip == "198506202010011003"
                else e
                for e in dataset.employees
            )
        }
    )
    entry = api.consultation_summary(with_second, moves).entries[0]
    treatments = {v.view.unit: v for v in entry.views}
    assert treatments["DISDIK"].treatment is api.Treatment.OTHER_WISH and treatments["DISDIK"].instead_rank == 1
    assert entry.overall is api.Treatment.HONOURED


def test_a_move_into_a_unit_under_the_wished_opd_is_partly_honoured() -> None:
    dataset = api.load_dataset(CONTOH)
    dewi = "199107222019032005"
    wishing = dataset.model_copy(
        update={
            "employees": tuple(
                e.model_copy(update={"participation": (StatedView(nip=dewi, kind="wish", unit="DISDUKCAPIL", rank=1),)})
                if e.nip == dewi
                else e
                for e in dataset.employees
            )
        }
    )
    summary = api.consultation_summary(wishing, [(dewi, "PENGADMIN-KTP")])
    (item,) = summary.entries[0].views
    assert (item.treatment, item.within_wished_unit) == (api.Treatment.PARTLY, True)
    assert "-> moved to GERAI-DUKCAPIL-MPP, a unit under DISDUKCAPIL: partly honoured" in api.render_consultation(
        summary
    )
    elsewhere = api.consultation_summary(wishing, [(dewi, "GURU-KELAS-SDN01")]).entries[0].views[0]
    assert elsewhere.treatment is api.Treatment.NOT_HONOURED


def test_json_and_csv_carry_every_view() -> None:
    proposal = api.load_proposal(SCENARIOS / "disdukcapil-mpp.yaml")
    summary = api.consultation_summary(proposal.dataset, proposal)
    data = json.loads(api.render_consultation(summary, "json"))
    assert [e["overall"] for e in data["entries"]] == ["honoured", "not_honoured", "honoured"]
    assert data["entries"][1]["views"][0]["view"]["reason"] == "health"
    rows = list(csv.DictReader(io.StringIO(api.render_consultation(summary, "csv"))))
    assert [(r["nip"], r["view_kind"], r["treatment"]) for r in rows] == [
        (REFKI, "wish", "honoured"),
        (YOSERIZAL, "objection", "not_honoured"),
        (FITRI, "objection", "honoured"),
        (FITRI, "hope", "for_discussion"),
    ]


@settings(max_examples=25, deadline=None)
@given(st.data())
def test_every_affected_employee_appears_exactly_once(data: st.DataObject) -> None:
    dataset = sawahlunto()
    positions = [p.id for p in dataset.positions]
    stated = [e.nip for e in dataset.employees if views_of(e)]
    pool = stated[:40] + [e.nip for e in dataset.employees[:40]]
    nips = data.draw(st.lists(st.sampled_from(pool), min_size=1, max_size=25, unique=True))
    moves = [(nip, data.draw(st.sampled_from(positions))) for nip in nips]
    summary = api.consultation_summary(dataset, moves)
    assert [e.nip for e in summary.entries] == nips
    assert sum(summary.counts().values()) == len(nips)
    by_nip = {e.nip: e for e in dataset.employees}
    for entry in summary.entries:
        assert len(entry.views) == len(views_of(by_nip[entry.nip]))
        if not entry.views:
            assert entry.overall is api.Treatment.NO_VIEW
    table = api.render_consultation(summary)
    assert all(table.count(f"(NIP {nip})") == 1 for nip in nips)


def test_unknown_nips_and_positions_are_reported_together() -> None:
    with pytest.raises(api.InputError) as caught:
        api.consultation_summary(sawahlunto(), [("199104182016011878", "SETDA.X"), (REFKI, "LOKET-DUKCAPIL.OPERATOR")])
    messages = [p.message for p in caught.value.problems]
    assert len(messages) == 3
    assert any("position 'LOKET-DUKCAPIL.OPERATOR' is not defined" in m for m in messages)


# -- the employee's own record -----------------------------------------------------------------------


def test_an_employee_sees_only_their_own_record() -> None:
    record = api.participation_of(sawahlunto(), FITRI)
    assert record.nip == FITRI and record.unit == "SETDA"
    assert {v.nip for v in record.views} == {FITRI} and len(record.views) == 2
    with pytest.raises(api.InputError) as caught:
        api.participation_of(sawahlunto(), "199611112016092172")
    assert caught.value.problems[0].hint == "Did you mean '199611112016092171'?" or "199611112016092171" in str(
        caught.value.problems[0].hint
    )


# -- the survey import ---------------------------------------------------------------------------------


def test_the_sample_survey_imports_to_the_example_participation_file(tmp_path: Path) -> None:
    out = tmp_path / "participation.csv"
    result = run("participation", "import", str(SURVEY), "-o", str(out), "--dataset", str(SAWAHLUNTO), "--lang", "en")
    assert result.exit_code == ExitCode.OK, result.output
    assert "8 views from 7 responses imported" in result.stdout
    assert out.read_text(encoding="utf-8") == (SAWAHLUNTO / "participation.csv").read_text(encoding="utf-8")


def _xlsx(rows: list[list[object]], path: Path) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def test_an_xlsx_export_imports_like_the_csv(tmp_path: Path) -> None:
    with SURVEY.open(encoding="utf-8") as fh:
        rows: list[list[object]] = [list(r) for r in csv.reader(fh)]
    for row in rows[1:]:
        row[1] = str(row[1])  # the NIP column formatted as text, as the docs ask
    survey = _xlsx(rows, tmp_path / "survei.xlsx")
    imported = api.import_survey(survey, sawahlunto())
    assert api.render_participation_csv(imported) == (SAWAHLUNTO / "participation.csv").read_text(encoding="utf-8")


def test_a_dataset_folder_as_output_gets_participation_csv(tmp_path: Path) -> None:
    folder = tmp_path / "contoh"
    shutil.copytree(CONTOH, folder)
    survey = tmp_path / "survei.csv"
    survey.write_text(
        "Timestamp,NIP,Pilihan 1,Alasan,Keberatan dimutasi\n"
        "05/06/2025 08:10:00,199107222019032005,DISDUKCAPIL,Lainnya,Tidak\n",
        encoding="utf-8",
    )
    result = run("participation", "import", str(survey), "-o", str(folder))
    assert result.exit_code == ExitCode.OK, result.output
    assert (folder / "participation.csv").read_text(encoding="utf-8").splitlines()[1] == (
        "199107222019032005,wish,DISDUKCAPIL,,1,other,,2025-06-05"
    )
    assert run("check", str(folder)).exit_code == ExitCode.OK


BAD_SURVEY = (
    "Stempel waktu,NIP,Nama,Unit tujuan pilihan 1,Alasan,Apakah Anda keberatan dimutasi?\n"
    "2026/05/04 9:12:40,199104182016011879,Refki,DISPARPRA,Pengembangan kompetensi,Tidak\n"
    "2026/05/04 9:12:40,199104182016011878,X,,,Mungkin\n"
    "2026/13/04 9:12:40,199104182016011879,Refki,BKPSDM,Gaji,Tidak\n"
)


def test_every_bad_row_is_reported_at_once_and_nothing_is_written(tmp_path: Path) -> None:
    survey = tmp_path / "survei.csv"
    survey.write_text(BAD_SURVEY, encoding="utf-8")
    out = tmp_path / "participation.csv"
    args = ["participation", "import", str(survey), "-o", str(out), "--dataset", str(SAWAHLUNTO)]
    result = run(*args, "--lang", "en")
    assert result.exit_code == ExitCode.INVALID_INPUT
    assert not out.exists()
    lines = [line for line in result.stderr.splitlines() if line.startswith(str(survey.name)) or "survei" in line]
    text = "\n".join(lines)
    assert (
        "survei.csv:2:4: NIP 199104182016011879: Unit tujuan pilihan 1: unit 'DISPARPRA' is not defined. "
        "Did you mean 'DISPARPORA'?"
    ) in text
    assert (
        "survei.csv:3:2: NIP 199104182016011878: NIP: NIP 199104182016011878 is not in the dataset. "
        "Did you mean '199104182016011879'?"
    ) in text
    assert "survei.csv:3:6: NIP 199104182016011878: Apakah Anda keberatan dimutasi?: 'Mungkin' is not an answer" in text
    assert "survei.csv:4:2: NIP 199104182016011879: NIP: NIP 199104182016011879 answered the survey twice" in text
    assert "Traceback" not in result.output
    indonesian = run(*args)
    assert indonesian.exit_code == ExitCode.INVALID_INPUT
    assert "unit 'DISPARPRA' tidak terdefinisi" in indonesian.stderr or "DISPARPRA" in indonesian.stderr
    assert "menjawab survei dua kali" in indonesian.stderr


def test_bad_cells_are_located_by_their_survey_column(tmp_path: Path) -> None:
    survey = tmp_path / "survei.csv"
    survey.write_text(BAD_SURVEY.replace("199104182016011879,Refki,BKPSDM", "199104182016011870,Refki,BKPSDM"))
    with pytest.raises(api.InputError) as caught:
        api.import_survey(survey, sawahlunto())
    located = {(p.location.line, p.location.column_name): p for p in caught.value.problems}
    assert "no month 13" in located[(4, "Stempel waktu")].message
    reason = located[(4, "Alasan")]
    assert "'gaji'" in reason.message and "Tempat kerja suami/istri" in (reason.hint or "")


def test_unknown_survey_columns_get_a_did_you_mean(tmp_path: Path) -> None:
    survey = tmp_path / "survei.csv"
    survey.write_text("NIP,Unit tujuan pilihan 1,Alasan keberatn\n199104182016011879,BKPSDM,\n", encoding="utf-8")
    with pytest.raises(api.InputError) as caught:
        api.import_survey(survey, sawahlunto())
    (problem,) = caught.value.problems
    assert problem.location.render().endswith("survei.csv:1:3")
    assert problem.hint == "Did you mean 'alasan keberatan'?"


def test_a_preferences_csv_migrates_through_the_import(tmp_path: Path) -> None:
    folder = tmp_path / "contoh"
    shutil.copytree(CONTOH, folder)
    old = folder / "preferences.csv"
    shutil.move(old, tmp_path / "preferences.csv")
    result = run("participation", "import", str(tmp_path / "preferences.csv"), "-o", str(folder))
    assert result.exit_code == ExitCode.OK, result.output
    migrated = api.load_dataset(folder)
    budi = next(e for e in migrated.employees if e.nip == "198506202010011003")
    assert {(v.kind.value, v.unit, v.rank, v.note) for v in views_of(budi)} == {
        ("wish", "SMPN-1-TALAWI", 1, "dekat rumah"),
        ("objection", "PKM-SILUNGKANG", None, None),
    }


# -- the summary command -------------------------------------------------------------------------------


def test_summary_command_in_indonesian_by_default_and_its_errors(tmp_path: Path) -> None:
    result = run("participation", "summary", str(SCENARIOS / "disdukcapil-mpp.yaml"))
    assert result.exit_code == ExitCode.OK, result.output
    assert result.stdout.startswith("Ringkasan konsultasi")
    plan = tmp_path / "plan.yaml"
    plan.write_text("moves:\n  - {nip: '199104182016011879', to: SETDA.PENGADMIN-UMUM}\n", encoding="utf-8")
    missing = run("participation", "summary", str(plan), "--lang", "en")
    assert missing.exit_code == ExitCode.INVALID_INPUT
    assert "a plan file does not name its dataset" in missing.stderr
    absent = run("participation", "summary", str(tmp_path / "nothing.yaml"), "--lang", "en")
    assert absent.exit_code == ExitCode.INVALID_INPUT and "file not found" in absent.stderr
    bad_date = run("participation", "summary", str(plan), str(SAWAHLUNTO), "--proposed-on", "2026-13-01")
    assert bad_date.exit_code == ExitCode.INVALID_INPUT


def test_show_prints_one_record() -> None:
    result = run("participation", "show", BAYU, str(SAWAHLUNTO), "--lang", "en")
    assert result.exit_code == ExitCode.OK, result.output
    assert 'wished SMPN-02 (rank 1), on grounds of family: "dekat rumah orang tua" (stated 2026-05-06)' in result.stdout
