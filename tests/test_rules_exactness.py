"""Rules as exact as the law (issue 9): durations by calendar, calendars that fail closed, BUP by post,
promotions apart from transfers, proposals judged as a whole, passes that need evidence, grade bands.

The rules are tested on dates and on the shipped example, not only on fact values.
"""

from __future__ import annotations

import calendar as month_calendar
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from decision_support import api, cli
from decision_support.i18n import set_language
from decision_support.models import Golongan, SkpPredicate
from decision_support.models.workforce import SkpRecord
from decision_support.rules.durable_engine import DurableEngine, EngineError
from decision_support.rules.durations import Duration, Span, add_months, add_years, span_between, whole_months
from decision_support.rules.evaluation import PairFacts, get_engine
from decision_support.rules.facts import employee_facts
from decision_support.rules.outcomes import Outcome, show
from decision_support.rules.retirement import bup_of, bup_of_post, pension_tmt

ROOT = Path(__file__).resolve().parent.parent
SAWAHLUNTO = ROOT / "datasets" / "sawahlunto"
RULES = ROOT / "rules"


@pytest.fixture(scope="module")
def example() -> tuple[api.Dataset, api.WorkloadReport, api.RuleSet]:
    dataset = api.load_dataset(SAWAHLUNTO)
    return dataset, api.analyse_workload(dataset), api.check_rules([RULES])


@pytest.fixture(autouse=True)
def indonesian() -> Any:
    set_language("id")
    yield
    set_language("id")


def with_employee(dataset: api.Dataset, nip: str, **changes: Any) -> api.Dataset:
    """The dataset with one employee's record changed (the rest untouched)."""
    employees = tuple(e.model_copy(update=changes) if e.nip == nip else e for e in dataset.employees)
    return dataset.model_copy(update={"employees": employees})


def outcome_of(explanation: Any, rule: str) -> Any:
    return next(r for r in explanation.decision.results if r.rule == rule)


# -- 1. calendar-exact durations ---------------------------------------------------------------------


def brute_force_span(start: date, end: date) -> Span:
    """Day by day: a month is complete on the day whose number is the start's (or the month's last day)."""
    months, last_complete, day = 0, start, start
    while day < end:
        day += timedelta(days=1)
        length = month_calendar.monthrange(day.year, day.month)[1]
        if day.day == min(start.day, length) and (day.year, day.month) != (start.year, start.month):
            months, last_complete = months + 1, day
    return Span(months // 12, months % 12, (end - last_complete).days)


dates = st.dates(min_value=date(1950, 1, 1), max_value=date(2040, 12, 31))


@given(dates, st.integers(min_value=0, max_value=4000))
def test_span_matches_a_day_stepping_count(start: date, days: int) -> None:
    end = start + timedelta(days=days)
    assert span_between(start, end) == brute_force_span(start, end)


@given(dates, st.integers(min_value=0, max_value=60))
def test_a_whole_number_of_years_holds_from_the_anniversary_and_not_a_day_earlier(start: date, years: int) -> None:
    anniversary = add_years(start, years)
    assert Duration.between(start, anniversary) >= years
    if anniversary > start:
        assert Duration.between(start, anniversary - timedelta(days=1)) < years


@pytest.mark.parametrize(
    ("start", "end", "span"),
    [
        (date(2025, 3, 2), date(2027, 3, 2), Span(2, 0, 0)),  # exact anniversary
        (date(2025, 3, 2), date(2027, 3, 1), Span(1, 11, 27)),  # one day short: 729 days read 2.00 before
        (date(2024, 2, 29), date(2026, 2, 28), Span(2, 0, 0)),  # 29 February: 28 February in a common year
        (date(2024, 2, 29), date(2026, 2, 27), Span(1, 11, 29)),
        (date(2024, 2, 29), date(2028, 2, 29), Span(4, 0, 0)),
        (date(2025, 1, 31), date(2025, 2, 28), Span(0, 1, 0)),  # 31 January + 1 month
        (date(2024, 1, 31), date(2024, 2, 29), Span(0, 1, 0)),
        (date(2025, 1, 31), date(2025, 2, 27), Span(0, 0, 27)),
        (date(2024, 3, 31), date(2026, 3, 30), Span(1, 11, 30)),
    ],
)
def test_calendar_spans_at_the_edges(start: date, end: date, span: Span) -> None:
    assert span_between(start, end) == span


def test_month_end_rule() -> None:
    assert add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_years(date(2024, 2, 29), 1) == date(2025, 2, 28)
    assert whole_months(date(2026, 11, 1), date(2027, 11, 1)) == 12
    assert whole_months(date(2026, 11, 2), date(2027, 11, 1)) == 11


def test_durations_read_as_years_months_and_days() -> None:
    assert show(Duration.between(date(2024, 3, 31), date(2026, 3, 30))) == "1 tahun 11 bulan 30 hari"
    assert show(Duration.between(date(2024, 3, 31), date(2026, 3, 31))) == "2 tahun"
    set_language("en")
    assert show(Duration.between(date(2024, 3, 31), date(2026, 3, 30))) == "1 year 11 months 30 days"


def staff_member(dataset: api.Dataset) -> api.Employee:
    """A PNS pelaksana with a golongan, used for the date tests."""
    posts = {p.id: p for p in dataset.positions}
    return next(
        e
        for e in dataset.employees
        if e.status.value == "PNS" and posts[e.position].type.value == "pelaksana" and e.golongan is not None
    )


@pytest.mark.parametrize(
    ("tmt", "as_of", "outcome", "shown"),
    [
        (date(2025, 3, 2), date(2027, 3, 1), Outcome.FAIL, "Baru 1 tahun 11 bulan 27 hari"),
        (date(2025, 3, 2), date(2027, 3, 2), Outcome.PASS, "Sudah 2 tahun di jabatan"),
        (date(2024, 2, 29), date(2026, 2, 27), Outcome.FAIL, "Baru 1 tahun 11 bulan 29 hari"),
        (date(2024, 2, 29), date(2026, 2, 28), Outcome.PASS, "Sudah 2 tahun di jabatan"),
        (date(2025, 1, 31), date(2027, 1, 30), Outcome.FAIL, "Baru 1 tahun 11 bulan 30 hari"),
    ],
)
def test_minimum_tenure_on_dates(example, tmt: date, as_of: date, outcome: Outcome, shown: str) -> None:
    """PP 11/2017 Pasal 190(3): two years are reached on the anniversary of the TMT, not a day earlier."""
    dataset, report, ruleset = example
    employee = staff_member(dataset)
    data = with_employee(dataset, employee.nip, tmt_position=tmt)
    target = next(p.id for p in dataset.positions if p.id != employee.position and p.type.value == "pelaksana")
    for engine in ("durable", "reference"):
        explanation = api.explain_move(data, report, ruleset, employee.nip, target, as_of=as_of, engine=engine)
        result = outcome_of(explanation, "masa_jabatan_minimal")
        assert result.outcome is outcome
        assert shown in (result.reason or "")


def test_rotation_score_from_the_fifth_anniversary(example) -> None:
    dataset, report, ruleset = example
    employee = staff_member(dataset)
    data = with_employee(dataset, employee.nip, tmt_position=date(2022, 2, 28))
    target = next(p.id for p in dataset.positions if p.id != employee.position and p.type.value == "pelaksana")
    before = api.explain_move(data, report, ruleset, employee.nip, target, as_of=date(2027, 2, 27))
    on = api.explain_move(data, report, ruleset, employee.nip, target, as_of=date(2027, 2, 28))
    assert outcome_of(before, "masa_jabatan_lewat_5_tahun").outcome is Outcome.NOT_APPLICABLE
    assert outcome_of(on, "masa_jabatan_lewat_5_tahun").outcome is Outcome.PASS


# -- 3. BUP by post, counted to the pension TMT ------------------------------------------------------


def test_bup_table_by_post(example) -> None:
    dataset, _report, _ruleset = example
    posts = {p.type.value: p for p in dataset.positions if p.subject is None and "sekolah" not in p.name.lower()}
    assert bup_of_post(posts["pelaksana"], Golongan.III_C) == 58
    assert bup_of_post(posts["pengawas"], Golongan.III_D) == 58
    assert bup_of_post(posts["administrator"], Golongan.IV_A) == 58
    assert bup_of_post(posts["jpt"], Golongan.IV_C) == 60
    functional = next(p for p in dataset.positions if p.type.value == "fungsional" and p.name.startswith("Perencana"))
    assert bup_of_post(functional, Golongan.III_D) == 58  # ahli muda
    assert bup_of_post(functional, Golongan.IV_A) == 60  # ahli madya
    assert bup_of_post(functional, Golongan.IV_D) == 65  # ahli utama
    assert bup_of_post(functional, None) is None  # a PPPK: the jenjang is not known
    teacher = next(p for p in dataset.positions if p.subject is not None)
    assert bup_of_post(teacher, None) == 60


def test_pension_tmt_is_the_first_of_the_month_after_the_bup() -> None:
    assert pension_tmt(date(1968, 5, 15), 58) == date(2026, 6, 1)
    assert pension_tmt(date(1968, 5, 31), 58) == date(2026, 6, 1)
    assert pension_tmt(date(1968, 2, 29), 58) == date(2026, 3, 1)  # 28 February 2026: still February
    assert pension_tmt(date(1966, 12, 1), 60) == date(2027, 1, 1)


def test_a_jpt_without_bup_in_the_data_retires_at_60(example) -> None:
    dataset, _report, _ruleset = example
    posts = {p.id: p for p in dataset.positions}
    jpt = next(e for e in dataset.employees if posts[e.position].type.value == "jpt")
    plain = jpt.model_copy(update={"bup": None})
    assert bup_of(plain, posts[jpt.position]) == 60
    facts = employee_facts(plain, date(2026, 11, 1), posts[jpt.position])
    birth = plain.birth_date or date(1970, 1, 1)
    assert facts["employee.bup"] == 60
    assert facts["employee.months_to_retirement"] == whole_months(date(2026, 11, 1), pension_tmt(birth, 60))
    overridden = employee_facts(jpt.model_copy(update={"bup": 58}), date(2026, 11, 1), posts[jpt.position])
    assert overridden["employee.bup"] == 58  # the dataset's value wins


def test_months_to_retirement_count_to_the_pension_tmt(example) -> None:
    """Born 15 March 1969, BUP 58: pension TMT 1 April 2027; 12 whole months remain on 1 April 2026 only."""
    dataset, _report, _ruleset = example
    posts = {p.id: p for p in dataset.positions}
    employee = staff_member(dataset).model_copy(update={"birth_date": None, "bup": None})
    employee = employee.model_copy(update={"nip": "19690315" + employee.nip[8:]})
    assert employee_facts(employee, date(2026, 4, 1), posts[employee.position])["employee.months_to_retirement"] == 12
    assert employee_facts(employee, date(2026, 4, 2), posts[employee.position])["employee.months_to_retirement"] == 11


# -- 2. calendars state their period; outside it officials' moves need review -------------------------


def kepala_seksi(dataset: api.Dataset) -> list[api.Employee]:
    posts = {p.id: p for p in dataset.positions}
    return [e for e in dataset.employees if posts[e.position].name.startswith("Kepala Seksi")]


def test_an_officials_move_after_the_calendar_period_is_unknown_and_says_why(example) -> None:
    dataset, report, ruleset = example
    assert ruleset.calendar is not None and ruleset.calendar.period.end == date(2028, 12, 31)
    a, b = ROTATION
    inside = api.explain_move(dataset, report, ruleset, a[0], a[1], as_of=date(2028, 12, 31), others=[b])
    outside = api.explain_move(dataset, report, ruleset, a[0], a[1], as_of=date(2029, 1, 1), others=[b])
    freeze = "larangan_penggantian_pejabat_pilkada"
    assert outcome_of(inside, freeze).outcome is Outcome.NOT_APPLICABLE
    assert outcome_of(outside, freeze).outcome is Outcome.UNKNOWN
    assert outside.decision.verdict.value == "unknown"
    reason = outcome_of(outside, freeze).reason or ""
    assert "2024-01-01" in reason and "2028-12-31" in reason and "2029-01-01" in reason


def test_a_staff_move_after_the_calendar_period_is_still_decided(example) -> None:
    dataset, report, ruleset = example
    employee = staff_member(dataset)
    target = next(p.id for p in dataset.positions if p.id != employee.position and p.type.value == "pelaksana")
    explanation = api.explain_move(dataset, report, ruleset, employee.nip, target, as_of=date(2029, 6, 1))
    assert outcome_of(explanation, "larangan_penggantian_pejabat_pilkada").outcome is Outcome.NOT_APPLICABLE


def test_a_calendar_without_its_period_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "aturan"
    folder.mkdir()
    (folder / "nasional.yaml").write_text((RULES / "nasional" / "nasional.yaml").read_text())
    (folder / "calendar.yaml").write_text("region: X\nelections: []\n")
    result = CliRunner().invoke(cli.main, ["rules", "check", str(folder)])
    assert result.exit_code == 2, result.output
    assert "calendar.yaml" in result.output and "period" in result.output


def test_screen_says_why_an_official_is_undecided_outside_the_calendar(runner_en: CliRunner) -> None:
    """Staged screening carries an unknown early-stage outcome (it used to assume a pass and then crash)."""
    result = runner_en.invoke(
        cli.main,
        ["screen", str(SAWAHLUNTO), "--need", "BAPPEDA.KASUBAG-UMPEG", "--as-of", "2029-01-02", "--lang", "en"],
    )
    assert result.exit_code in (0, 1), result.output
    assert "calendar covers 2024-01-01 to 2028-12-31" in result.output


def test_plan_says_which_moves_it_left_out_undecided_and_why(example) -> None:
    """Outside the calendar's period no official's move is planned, and the plan says so, with the rule."""
    dataset, report, ruleset = example
    options = api.PlanOptions(engine="reference")
    plan = api.make_plan(dataset, report, ruleset, options, as_of=date(2029, 1, 2))
    undecided = plan.metrics["undecided"]
    freeze = next(row for row in undecided if row["rule"] == "larangan_penggantian_pejabat_pilkada")
    assert freeze["moves"] > 0 and "2028-12-31" in freeze["reason"]
    assert plan.metrics["operational"]["pairs_undecided"] >= freeze["moves"]
    kinds = {"jpt", "administrator", "pengawas"}
    origin = {e.nip: e.position for e in dataset.employees}
    official = [
        mv
        for mv in plan.moves
        if {dataset_position(dataset, origin[mv.nip]).type.value, dataset_position(dataset, mv.to).type.value} & kinds
    ]
    assert plan.moves and not official
    summary = api.render_plan_summary(plan)
    assert "larangan_penggantian_pejabat_pilkada" in summary and "tidak dapat memutuskannya" in summary


def dataset_position(dataset: api.Dataset, position: str) -> Any:
    return next(p for p in dataset.positions if p.id == position)


@pytest.fixture
def runner_en() -> CliRunner:
    return CliRunner()


# -- 4. kind of move; promotions are not transfers -----------------------------------------------------


def test_a_iii_c_pelaksana_with_skp_kurang_is_not_eligible_for_an_eselon_iv_a_post(example) -> None:
    """The issue's reproducer: a move up is a promotion with its own requirements (PP 100/2000 Pasal 5)."""
    dataset, report, ruleset = example
    employee = staff_member(dataset)
    skp = (SkpRecord(nip=employee.nip, year=2024, predicate=SkpPredicate("baik")),
           SkpRecord(nip=employee.nip, year=2025, predicate=SkpPredicate("kurang")))  # fmt: skip
    data = with_employee(dataset, employee.nip, golongan=Golongan.III_C, skp=skp, tmt_position=date(2020, 1, 1))
    target = ROTATION[0][1]  # a Kepala Seksi post, eselon IV.a, band III/c-III/d
    for engine in ("durable", "reference"):
        explanation = api.explain_move(data, report, ruleset, employee.nip, target, engine=engine)
        assert explanation.decision.verdict.value == "excluded"
        assert "promosi_syarat_skp" in explanation.decision.failed
        assert explanation.decision.results[0].values  # explained
        kind = next(r for r in explanation.decision.results if r.rule == "promosi_syarat_skp").values["move.kind"]
        assert kind == "up"
        reason = outcome_of(explanation, "promosi_syarat_skp").reason or ""
        assert "kenaikan jabatan, bukan mutasi setingkat" in reason


def test_move_kinds_follow_the_posts_levels(example) -> None:
    dataset, report, ruleset = example
    pairs = PairFacts(dataset, report, dataset.as_of, ruleset.calendar)
    posts = {p.id: p for p in dataset.positions}
    head = kepala_seksi(dataset)[0]
    staff = staff_member(dataset)
    kinds = {
        pairs.pair(head.nip, staff.position)["move.kind"],
        pairs.pair(staff.nip, head.position)["move.kind"],
        pairs.pair(head.nip, ROTATION[1][1])["move.kind"],
    }
    assert kinds == {"down", "up", "lateral"}
    functional = next(p for p in dataset.positions if p.type.value == "fungsional")
    assert pairs.pair(staff.nip, functional.id)["move.kind"] == "cross"
    assert posts[head.position].eselon is not None


# -- 5. proposals judged as a whole ------------------------------------------------------------------

#: Two kepala seksi of Bappeda swapping posts (each post has one holder and formasi 1).
ROTATION = (("198906212012121888", "BAPPEDA.KASI-2"), ("198104022013051579", "BAPPEDA.KASI-1"))


def test_a_rotation_of_two_kepala_seksi_is_eligible_as_a_proposal(example) -> None:
    dataset, report, ruleset = example
    (a_nip, a_to), (b_nip, b_to) = ROTATION
    alone = api.explain_move(dataset, report, ruleset, a_nip, a_to)
    assert alone.decision.verdict.value == "excluded"
    assert set(alone.decision.failed) == {"kuota_formasi_tujuan", "kuota_minimal_asal"}
    for engine in ("durable", "reference"):
        halves = api.explain_proposal(dataset, report, ruleset, list(ROTATION), engine=engine)
        assert [h.decision.verdict.value for h in halves] == ["eligible", "eligible"]
        assert halves[0].proposal == [(b_nip, b_to)] and halves[1].proposal == [(a_nip, a_to)]


def test_explain_with_the_other_half_of_the_rotation(runner_en: CliRunner) -> None:
    (a_nip, a_to), (b_nip, b_to) = ROTATION
    for nip, to, other in ((a_nip, a_to, f"{b_nip}:{b_to}"), (b_nip, b_to, f"{a_nip}:{a_to}")):
        result = runner_en.invoke(
            cli.main, ["explain", str(SAWAHLUNTO), nip, "--to", to, "--with", other, "--lang", "en"]
        )
        assert result.exit_code == 0, result.output
        assert "Verdict: ELIGIBLE" in result.output
        assert f"Judged as one proposal with: {other.replace(':', ' -> ')}" in result.output


def test_explain_with_a_malformed_or_repeated_move_is_an_input_error(runner_en: CliRunner) -> None:
    (a_nip, a_to), _b = ROTATION
    bad = runner_en.invoke(cli.main, ["explain", str(SAWAHLUNTO), a_nip, "--to", a_to, "--with", "nocolon"])
    assert bad.exit_code == 2 and "NIP:POSITION" in bad.output
    twice = runner_en.invoke(
        cli.main, ["explain", str(SAWAHLUNTO), a_nip, "--to", a_to, "--with", f"{a_nip}:{a_to}", "--lang", "en"]
    )
    assert twice.exit_code == 2 and "appears twice" in twice.output


# -- 6. a pass needs positive evidence ---------------------------------------------------------------


@pytest.mark.parametrize("coarse", [False, True])
def test_a_lost_match_is_an_error_never_a_pass(example, monkeypatch: pytest.MonkeyPatch, coarse: bool) -> None:
    """Simulate durable_rules losing the pass action of every filter: the evaluation must not pass."""
    dataset, report, ruleset = example
    pairs = PairFacts(dataset, report, dataset.as_of, ruleset.calendar)
    packs = ruleset.in_force(dataset.as_of)
    staff = staff_member(dataset)
    target = next(p.id for p in dataset.positions if p.id != staff.position and p.type.value == "pelaksana")
    facts = pairs.pair(staff.nip, target)
    engine = DurableEngine.instance()
    original = DurableEngine._fire

    def losing(self: DurableEngine, ruleset_name: str, f: Any, read: Any) -> set[str]:
        fired = original(self, ruleset_name, f, read)
        return {name for name in fired if not name.startswith("masa_jabatan_minimal$")}

    monkeypatch.setattr(DurableEngine, "_fire", losing)
    with pytest.raises(EngineError, match="masa_jabatan_minimal"):
        engine.evaluate(packs, facts, coarse=coarse)


def test_the_engines_agree_on_the_example_pairs_after_the_changes(example) -> None:
    dataset, report, ruleset = example
    pairs = PairFacts(dataset, report, dataset.as_of, ruleset.calendar)
    packs = ruleset.in_force(dataset.as_of)
    durable, reference = get_engine("durable"), get_engine("reference")
    employees = list(pairs.employees)[::97]
    targets = [p.id for p in dataset.positions][::37]
    for nip in employees:
        for target in targets:
            facts = pairs.pair(nip, target)
            assert durable.evaluate(packs, facts) == reference.evaluate(packs, facts), (nip, target)


# -- 7. grade bands of the PP 13/2002 annex -------------------------------------------------------------


def test_every_eselon_iv_a_post_of_the_example_carries_iii_c_to_iii_d(example) -> None:
    dataset, _report, _ruleset = example
    bands = {(p.golongan_min, p.golongan_max) for p in dataset.positions if p.eselon and p.eselon.value == "IV.a"}
    assert bands == {(Golongan.III_C, Golongan.III_D)}


def test_a_iii_b_kepala_seksi_is_outside_the_band_and_the_message_speaks_golongan(example) -> None:
    dataset, report, ruleset = example
    (a_nip, a_to), other = ROTATION
    data = with_employee(dataset, a_nip, golongan=Golongan.III_B)
    explanation = api.explain_move(data, report, ruleset, a_nip, a_to, others=[other])
    assert explanation.decision.failed == ["golongan_sesuai_jenjang"]
    reason = outcome_of(explanation, "golongan_sesuai_jenjang").reason
    assert reason == "Golongan III/b di luar rentang jabatan tujuan III/c s.d. III/d (PP 13/2002)"


def test_dated_reference_tables_say_nothing_before_they_were_in_force(example) -> None:
    """The BUP table (UU 5/2014) and the eselon band table (PP 13/2002) give no facts before their dates."""
    from decision_support.models import Position
    from decision_support.rules.facts import PositionContext, position_facts

    dataset, report, _ruleset = example
    posts = {p.id: p for p in dataset.positions}
    employee = staff_member(dataset).model_copy(update={"bup": None})
    assert "employee.bup" in employee_facts(employee, date(2014, 1, 15), posts[employee.position])
    before = employee_facts(employee, date(2014, 1, 14), posts[employee.position])
    assert "employee.bup" not in before and "employee.months_to_retirement" not in before
    head = posts[ROTATION[0][1]]
    bare = Position.model_validate({**head.model_dump(), "golongan_min": None, "golongan_max": None})
    ctx = PositionContext.build(dataset, report)
    assert position_facts("target", bare, ctx, date(2002, 2, 17))["target.golongan_min"] == "III/c"
    assert "target.golongan_min" not in position_facts("target", bare, ctx, date(2002, 2, 16))
