"""The experiment: common random numbers, determinism, sample-path identities on every replication.

Runs on the bundled Sawahlunto dataset with short horizons and few replications.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import numpy as np
import pytest

from decision_support import api
from decision_support.simulation import engine
from decision_support.simulation.invariants import violations
from decision_support.simulation.jobs import Streams, day_jobs
from decision_support.simulation.plan import build_plan
from decision_support.simulation.replication import run_replication

ROOT = Path(__file__).resolve().parents[1]
SAWAHLUNTO = ROOT / "datasets" / "sawahlunto"

#: Every model feature at once: carry-over with warm-up, pre-emptive shift changes, rosters with day types and
#: shifts, capacity, baulking, reneging, routing with feedback, Ramadan hours, a holiday, weekend hours, absences,
#: what-if demand and overridden service times and servers.
RICH = """\
schema_version: 1
name: semua fitur
dataset: {dataset}
proposal:
  moves:
    - {{nip: "199104182016011879", to: "LOKET-DUKCAPIL.OPERATOR-DUKCAPIL"}}
    - {{nip: "197206091997041255", to: "MPP.PETUGAS-MPP"}}
units: [LOKET-DUKCAPIL, MPP]
horizon: {{start: 2026-03-16, days: 7}}
mode: carry_over
warmup_days: 2
calendar:
  holidays: [{{date: 2026-03-20, name: Idul Fitri}}]
  ramadan:
    start: 2026-02-18
    end: 2026-03-19
    working_hours:
      mon_thu: {{start: "08:00", end: "15:00", breaks: [{{start: "12:00", end: "12:30"}}]}}
      fri: {{start: "08:00", end: "15:30", breaks: [{{start: "11:30", end: "12:30"}}]}}
  unit_hours:
    MPP:
      sat: {{start: "08:00", end: "12:00"}}
demand:
  multiplier: 1.1
  services: {{DUKCAPIL-KTP-EL: 1.2}}
  seasonal: [{{label: promosi, start: 2026-03-16, end: 2026-03-17, multiplier: 1.5, services: [MPP-INFORMASI]}}]
service_times:
  MPP-INFORMASI: {{distribution: deterministic, minutes: 4}}
  MPP-PBG: {{distribution: empirical, minutes: [20, 35, 50, 90]}}
servers:
  MPP-KARTU-KUNING: {{positions: [MPP.PETUGAS-MPP]}}
routing:
  MPP-INFORMASI: [{{service: MPP-PERIZINAN, probability: 0.1}}, {{service: MPP-DUKCAPIL, probability: 0.1}}]
  MPP-PERIZINAN: [{{service: MPP-INFORMASI, probability: 0.05}}]
rosters:
  - {{unit: MPP, position: LOKET-DUKCAPIL.OPERATOR-DUKCAPIL, count: 1, days: [mon_thu], shifts: [{{start: "08:00", end: "12:00"}}]}}
shift_change: preempt_resume
max_overtime_minutes: 60
customers:
  capacity: 40
  baulking: [{{present: 15, probability: 0.3}}]
  patience: {{distribution: exponential, mean_minutes: 45}}
absence: {{leave: 0.05, sick: 0.05, training: 0.05}}
replications: 3
seed: 7
criteria:
  - {{kind: service_level_drop, max_points: 5}}
  - {{kind: max_utilisation, max: 0.99}}
"""

SIMPLE = """\
schema_version: 1
name: satu operator
dataset: {dataset}
proposal:
  moves:
    - {{nip: "{nip}", to: "LOKET-DUKCAPIL.OPERATOR-DUKCAPIL"}}
units: [LOKET-DUKCAPIL]
horizon: {{start: 2026-07-13, days: 4}}
absence: {{sick: 0.05}}
replications: 5
seed: 11
criteria:
  - {{kind: service_level_drop, max_points: 5}}
"""


def same(a: dict, b: dict) -> bool:
    """Equal KPI dictionaries (values or the arrays of pooled samples), where nan (no observation) equals nan."""
    return a.keys() == b.keys() and all(np.array_equal(a[k], b[k], equal_nan=True) for k in a)


def write(tmp_path: Path, name: str, text: str, **values: str) -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).format(dataset=SAWAHLUNTO, **values), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def rich(tmp_path_factory: pytest.TempPathFactory):
    return api.load_scenario(write(tmp_path_factory.mktemp("rich"), "rich.yaml", RICH))


@pytest.fixture(scope="module")
def simple(tmp_path_factory: pytest.TempPathFactory):
    return api.load_scenario(write(tmp_path_factory.mktemp("simple"), "s.yaml", SIMPLE, nip="199104182016011879"))


def test_sample_path_identities_hold_on_every_run_of_every_replication(rich, monkeypatch) -> None:
    checked, broken = [], []
    original = engine.QueueRun.run

    def run_and_check(self):
        records = original(self)
        checked.append(1)
        broken.extend(violations(records))
        return records

    monkeypatch.setattr(engine.QueueRun, "run", run_and_check)
    result = api.run_scenario(rich, workers=1)
    assert broken == []
    # 2 units x 2 arms x open days (weekdays, the Saturday at the MPP, no run on the holiday) x 3 replications
    assert len(checked) >= 2 * 2 * 5 * 3
    assert result.get("unit", "MPP", "reneged").baseline.mean > 0
    assert result.get("unit", "MPP", "baulked") is not None


def test_same_scenario_and_seed_give_byte_identical_json_for_any_number_of_workers(simple) -> None:
    one = api.render_simulation(api.run_scenario(simple, workers=1), fmt="json")
    again = api.render_simulation(api.run_scenario(simple, workers=1), fmt="json")
    parallel = api.render_simulation(api.run_scenario(simple, workers=2), fmt="json")
    assert one == again == parallel
    other_seed = api.render_simulation(api.run_scenario(simple, seed=12, workers=1), fmt="json")
    assert other_seed != one


def test_changing_only_the_staff_leaves_the_arrival_stream_identical(simple, tmp_path: Path) -> None:
    other = api.load_scenario(write(tmp_path, "t.yaml", SIMPLE, nip="197206091997041255"))
    plan_a, plan_b = build_plan(simple), build_plan(other)
    unit = plan_a.units[0]
    for day in plan_a.days:
        hours = unit.hours[day.date]
        if hours is None:
            continue
        a = day_jobs(unit, day, hours, Streams(plan_a.seed, 3), None, False, True)
        b = day_jobs(plan_b.units[0], day, hours, Streams(plan_b.seed, 3), None, False, True)
        assert np.array_equal(a.arrival, b.arrival) and np.array_equal(a.work, b.work)
        assert np.array_equal(a.cls, b.cls)
    rep_a, rep_b = run_replication(plan_a, 0), run_replication(plan_b, 0)
    assert same(rep_a["baseline"], rep_b["baseline"])  # the baseline does not depend on the moves at all
    for arm in ("baseline", "proposal"):
        assert (
            rep_a[arm][("unit", "LOKET-DUKCAPIL", "arrivals")]
            == rep_a["baseline"][("unit", "LOKET-DUKCAPIL", "arrivals")]
        )
        assert (
            rep_b[arm][("unit", "LOKET-DUKCAPIL", "arrivals")]
            == rep_a["baseline"][("unit", "LOKET-DUKCAPIL", "arrivals")]
        )


def test_common_random_numbers_make_the_paired_interval_narrow(simple) -> None:
    """Same arrivals and requirements in both arms: the paired difference is much tighter than the two levels."""
    result = api.run_scenario(simple, replications=8, workers=1)
    wait = result.get("unit", "LOKET-DUKCAPIL", "wait_mean")
    assert result.get("unit", "LOKET-DUKCAPIL", "arrivals").difference.half_width == 0.0
    independent = (wait.baseline.half_width**2 + wait.proposal.half_width**2) ** 0.5
    assert wait.difference.half_width < 0.5 * independent
