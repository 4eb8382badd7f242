"""The approval gate fails closed: a collapsed service fails, an undefined interval cannot be judged.

LAYAK only when every criterion was evaluated on a defined interval for every unit it concerns
(docs/simulation.md, "The approval gate"); exit 0 only for LAYAK.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from decision_support import cli
from decision_support.errors import ExitCode
from decision_support.simulation.gate import verdict
from decision_support.simulation.results import (
    FAILED,
    FEW_REPLICATIONS,
    NO_STAFF,
    NONE_SERVED,
    PASSED,
    UNDETERMINED,
    Comparison,
)
from decision_support.simulation.scenario import BacklogIncrease, ImbalanceImproves, MaxUtilisation, MaxWait
from decision_support.simulation.stats import Estimate

ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT / "tests" / "data" / "mini"
NAN = math.nan


def est(mean: float, half: float = 0.5, n: int = 10) -> Estimate:
    if n < 2:
        return Estimate(mean, NAN, NAN, n)
    return Estimate(mean, mean - half, mean + half, n)


def comp(proposal: Estimate, baseline: Estimate | None = None, difference: Estimate | None = None) -> Comparison:
    return Comparison(baseline or proposal, proposal, difference or est(0.0), None)


def unit_metrics(unit: str, *, arrivals: float, served: float, wait: Estimate, util: Estimate, work: float = 100.0):
    return {
        ("unit", unit, "arrivals"): comp(est(arrivals)),
        ("unit", unit, "served"): comp(est(served)),
        ("unit", unit, "wait_mean"): comp(wait),
        ("unit", unit, "utilisation"): comp(util),
        ("unit", unit, "workload_hours_year"): comp(est(work)),
        ("unit", unit, "backlog_hours"): comp(est(0.0, 0.0)),
    }


def test_a_unit_without_staff_fails_max_wait_and_max_utilisation_instead_of_being_dropped() -> None:
    metrics = unit_metrics("A", arrivals=40, served=38, wait=est(5.0), util=est(0.6, 0.05))
    metrics |= unit_metrics("B", arrivals=30, served=0, wait=est(NAN, n=0), util=est(NAN, n=0))
    criteria = (MaxWait(kind="max_wait", minutes=30), MaxUtilisation(kind="max_utilisation", max=0.9))
    v = verdict(criteria, metrics, replications=10)
    assert not v.feasible and v.label == "TIDAK LAYAK"
    failed = {(c.criterion, c.entity, c.reason) for c in v.checks if c.status == FAILED}
    assert failed == {("max_wait", "B", NO_STAFF), ("max_utilisation", "B", NO_STAFF)}
    assert {c.entity for c in v.checks if c.status == PASSED} == {"A"}


def test_staff_missing_in_some_replications_is_a_collapse_too() -> None:
    metrics = unit_metrics("B", arrivals=30, served=25, wait=est(8.0), util=est(0.7, n=7))
    v = verdict((MaxUtilisation(kind="max_utilisation", max=0.9),), metrics, replications=10)
    assert v.label == "TIDAK LAYAK" and v.checks[0].reason == NO_STAFF


def test_customers_nobody_serves_fail_max_wait() -> None:
    metrics = unit_metrics("B", arrivals=30, served=0, wait=est(NAN, n=0), util=est(0.2))
    v = verdict((MaxWait(kind="max_wait", minutes=30),), metrics, replications=10)
    assert v.label == "TIDAK LAYAK" and v.checks[0].reason == NONE_SERVED


def test_an_imbalance_that_improves_only_because_a_unit_lost_all_staff_fails() -> None:
    metrics = unit_metrics("A", arrivals=40, served=38, wait=est(5.0), util=est(0.6, 0.05))
    metrics |= unit_metrics("B", arrivals=30, served=0, wait=est(NAN, n=0), util=est(NAN, n=0))
    metrics[("overall", "", "imbalance_cv")] = comp(est(0.0), difference=est(-0.3, 0.1))
    v = verdict((ImbalanceImproves(kind="imbalance_improves"),), metrics, replications=10)
    assert v.label == "TIDAK LAYAK" and [(c.entity, c.reason) for c in v.checks] == [("B", NO_STAFF)]


def test_one_usable_replication_cannot_be_judged_even_if_the_mean_passes() -> None:
    """Seen: 20 replications, one customer waited 0 min, verdict LAYAK 'on the upper 95 % bound'."""
    metrics = unit_metrics("A", arrivals=0.04, served=0.04, wait=est(0.0, n=1), util=est(0.01, 0.005, n=20))
    v = verdict((MaxWait(kind="max_wait", minutes=30),), metrics, replications=20)
    assert not v.feasible and v.label == "TIDAK DAPAT DINILAI"
    (check,) = v.checks
    assert check.status == UNDETERMINED and check.reason == FEW_REPLICATIONS and check.replications == 1


def test_a_failed_check_outweighs_one_that_cannot_be_judged() -> None:
    metrics = unit_metrics("A", arrivals=40, served=38, wait=est(50.0), util=est(0.6, 0.05))
    metrics[("unit", "A", "backlog_hours")] = comp(est(1.0), difference=Estimate(0.5, NAN, NAN, 1))
    criteria = (MaxWait(kind="max_wait", minutes=30), BacklogIncrease(kind="max_backlog_increase", max_hours=2))
    v = verdict(criteria, metrics, replications=10)
    assert v.label == "TIDAK LAYAK"
    assert sorted(c.status for c in v.checks) == [FAILED, UNDETERMINED]


def test_nothing_to_check_cannot_be_judged() -> None:
    v = verdict((MaxWait(kind="max_wait", minutes=30),), {}, replications=10)
    assert not v.feasible and v.label == "TIDAK DAPAT DINILAI" and v.not_applicable == ("max_wait",)


# -- end to end: what the planner sees ------------------------------------------------------------------------
COLLAPSE = """\
schema_version: 1
name: Semua petugas KTP pindah
dataset: {mini}
proposal:
  moves:
    - {{nip: "199402022020121002", to: PENGELOLA-KEU-DINKES}}
    - {{nip: "199605172024032001", to: ANALIS-SDM-DISDIK}}
horizon: {{start: 2025-07-07, days: 3}}
replications: 3
seed: 5
criteria:
  - {{kind: max_wait, minutes: 60}}
  - {{kind: max_backlog_increase, max_hours: 100}}
"""

RARE = """\
schema_version: 1
name: Hampir tanpa pelanggan
dataset: {mini}
proposal:
  moves:
    - {{nip: "198203142006042002", to: PENGADMIN-KTP}}
units: [LOKET-KTP]
horizon: {{start: 2025-07-07, days: 1}}
demand: {{multiplier: 0.0015}}
replications: 20
seed: 1
criteria:
  - {{kind: max_wait, minutes: 60}}
"""


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.chdir(tmp_path)
    return CliRunner()


def test_moving_every_clerk_out_of_a_counter_is_tidak_layak_with_the_reason(runner: CliRunner) -> None:
    Path("kosong.yaml").write_text(COLLAPSE.format(mini=MINI), encoding="utf-8")
    result = runner.invoke(cli.simulate, ["kosong.yaml", "--lang", "en", "--no-html", "-j", "1"])
    assert result.exit_code == ExitCode.NEGATIVE_VERDICT, result.output
    assert "Verdict: TIDAK LAYAK" in result.stdout
    assert "[FAILED] LOKET-KTP" in result.stdout and "max_wait fails" in result.stdout
    assert "nobody is on duty" in result.stdout


def test_a_kpi_seen_in_one_replication_cannot_be_judged_exit_1(runner: CliRunner) -> None:
    Path("sepi.yaml").write_text(RARE.format(mini=MINI), encoding="utf-8")
    result = runner.invoke(cli.simulate, ["sepi.yaml", "--lang", "en", "--no-html", "-j", "1"])
    assert result.exit_code == ExitCode.NEGATIVE_VERDICT, result.output
    assert "Verdict: TIDAK DAPAT DINILAI" in result.stdout
    assert "[CANNOT BE JUDGED] LOKET-KTP" in result.stdout and "too few for a 95 % interval" in result.stdout


# -- invariants ----------------------------------------------------------------------------------------------

finite = st.floats(-1e3, 1e3, allow_nan=False)
maybe = st.one_of(finite, st.just(NAN))


@st.composite
def unit_kpis(draw, unit: str):
    n = draw(st.integers(0, 10))
    wait_mean = draw(maybe)
    wait = Estimate(wait_mean, *sorted((draw(maybe), draw(maybe))), n) if n >= 2 else Estimate(wait_mean, NAN, NAN, n)
    util = est(draw(st.floats(0, 1)), draw(st.floats(0, 0.5)), n=draw(st.integers(0, 10)))
    return unit_metrics(
        unit,
        arrivals=draw(st.floats(0, 50)),
        served=draw(st.floats(0, 50)),
        wait=wait,
        util=util,
        work=draw(st.floats(0, 100)),
    )


@settings(max_examples=200, deadline=None)
@given(a=unit_kpis("A"), b=unit_kpis("B"), minutes=st.floats(1, 100), top=st.floats(0.1, 1))
def test_layak_only_when_every_check_passed_on_a_defined_bound(a, b, minutes, top) -> None:
    criteria = (MaxWait(kind="max_wait", minutes=minutes), MaxUtilisation(kind="max_utilisation", max=top))
    v = verdict(criteria, a | b, replications=10)
    if v.feasible:
        assert v.label == "LAYAK" and v.checks
        assert all(c.status == PASSED and not math.isnan(c.value) and c.value <= c.limit + 1e-9 for c in v.checks)
    for unit, metrics in (("A", a), ("B", b)):
        arrivals = metrics[("unit", unit, "arrivals")].proposal.mean
        if arrivals > 0:  # a unit with customers is always checked for its wait: never silently dropped
            assert any(c.criterion == "max_wait" and c.entity == unit for c in v.checks)
    assert (v.label == "TIDAK LAYAK") == bool(v.failed)
