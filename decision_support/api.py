"""The public API: the one place the CLI, the HTTP API and SIMPEG plugins call into.

Each function is a stage of the pipeline
``dataset folder -> validated Dataset -> workload analysis -> report``, and
``scenario file -> simulation (baseline vs proposal) -> verdict and report``;
stages downstream of these (rules, plans) are added here as they land.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from .models import WKE_CHOICES, Dataset
from .planning import MODES as PLAN_MODES
from .planning import Plan, PlanOptions
from .planning import make_plan as _make_plan
from .planning.frontier import FrontierPlan, pareto_plans, render_pareto
from .planning.planfile import render_summary as render_plan_summary
from .planning.planfile import render_yaml as render_plan
from .report.simulation_data import to_csv as _simulation_csv
from .report.simulation_data import to_json as _simulation_json
from .report.simulation_html import render_html as _simulation_html
from .report.simulation_report import render_summary as _simulation_summary
from .report.workload_report import SORTS, VIEWS, render
from .rules.evaluation import ENGINES
from .rules.loading import RuleSet
from .rules.service import (
    Explanation,
    RuleDiff,
    ScreeningReport,
    check_rules,
    diff_rules,
    explain_move,
    explain_proposal,
    screen_needs,
    test_rules,
)
from .simulation import LoadedScenario, Progress, SimulationResult
from .simulation import load_scenario as _load_scenario
from .simulation import simulate as _simulate
from .sources import load_dataset as _load_dataset
from .workload import WorkloadReport
from .workload import analyse_workload as _analyse_workload

FORMATS = ("table", "json", "csv")


def load_dataset(folder: str | Path) -> Dataset:
    """Load and validate a dataset folder; raises :class:`InputError` listing every problem."""
    return _load_dataset(folder)


def analyse_workload(dataset: Dataset, *, wke_hours: int | None = None) -> WorkloadReport:
    """ABK per position, unit and OPD, and teacher need per school and subject.

    ``wke_hours`` overrides the dataset's effective working hours; it must be one of
    :data:`~decision_support.models.WKE_CHOICES` (1200, 1250, 1300). Raises ``ValueError`` otherwise.
    """
    if wke_hours is not None and wke_hours not in WKE_CHOICES:
        raise ValueError(f"wke_hours must be one of {sorted(WKE_CHOICES)}, not {wke_hours!r}")
    return _analyse_workload(dataset, wke_hours=wke_hours)


def render_workload(report: WorkloadReport, *, view: str = "unit", fmt: str = "table", sort: str = "ej") -> str:
    """Render ``report`` for people (``table``, in the active language) or machines (``json``, ``csv``).

    Raises ``ValueError`` for a ``view``, ``fmt`` or ``sort`` not in :data:`VIEWS`, :data:`FORMATS`, :data:`SORTS`.
    """
    for name, value, allowed in (("view", view, VIEWS), ("fmt", fmt, FORMATS), ("sort", sort, SORTS)):
        if value not in allowed:
            raise ValueError(f"{name} must be one of {allowed}, not {value!r}")
    return render(report, view, fmt, sort)


def make_plan(
    dataset: Dataset,
    report: WorkloadReport,
    ruleset: RuleSet,
    options: PlanOptions | None = None,
    *,
    as_of: date | None = None,
    source: str | Path | None = None,
) -> Plan:
    """A transfer plan (voluntary exchange, then balance optimiser), every move checked with the rules.

    ``source`` is the dataset folder, hashed into the plan's input hash. Raises ``ValueError`` for bad options.
    """
    return _make_plan(dataset, report, ruleset, options, as_of=as_of, source=Path(source) if source else None)


def load_scenario(path: str | Path) -> LoadedScenario:
    """Load a simulation scenario file with its dataset and moves.

    Raises :class:`InputError` listing every problem, each at its file, line and column.
    """
    return _load_scenario(path)


def run_scenario(
    scenario: LoadedScenario,
    *,
    replications: int | None = None,
    seed: int | None = None,
    workers: int = 1,
    progress: Progress | None = None,
) -> SimulationResult:
    """Simulate baseline and proposal with common random numbers and judge the proposal.

    ``replications`` (at least 2) and ``seed`` override the scenario's; ``workers`` processes run replications in
    parallel without changing any result; ``progress(done, total)`` is called after each replication.
    Raises ``ValueError`` for an out-of-range argument.
    """
    from . import __version__

    if replications is not None and replications < 2:
        raise ValueError(f"replications must be at least 2, not {replications!r}")
    if seed is not None and not 0 <= seed < 2**63:
        raise ValueError(f"seed must be a non-negative 63-bit integer, not {seed!r}")
    if workers < 1:
        raise ValueError(f"workers must be at least 1, not {workers!r}")
    return _simulate(
        scenario, version=__version__, replications=replications, seed=seed, workers=workers, progress=progress
    )


def render_simulation(result: SimulationResult, *, fmt: str = "table") -> str:
    """``result`` as a terminal summary (``table``, in the active language), ``json`` or ``csv``.

    Raises ``ValueError`` for a ``fmt`` not in :data:`FORMATS`.
    """
    renderers = {"table": _simulation_summary, "json": _simulation_json, "csv": _simulation_csv}
    if fmt not in renderers:
        raise ValueError(f"fmt must be one of {FORMATS}, not {fmt!r}")
    return renderers[fmt](result)


def render_simulation_html(result: SimulationResult) -> str:
    """``result`` as one self-contained HTML page with charts, in the active language."""
    return _simulation_html(result)


__all__ = [
    "ENGINES",
    "FORMATS",
    "PLAN_MODES",
    "SORTS",
    "VIEWS",
    "Explanation",
    "FrontierPlan",
    "LoadedScenario",
    "Plan",
    "PlanOptions",
    "RuleDiff",
    "RuleSet",
    "ScreeningReport",
    "SimulationResult",
    "analyse_workload",
    "check_rules",
    "diff_rules",
    "explain_move",
    "explain_proposal",
    "load_dataset",
    "load_scenario",
    "make_plan",
    "pareto_plans",
    "render_pareto",
    "render_plan",
    "render_plan_summary",
    "render_simulation",
    "render_simulation_html",
    "render_workload",
    "run_scenario",
    "screen_needs",
    "test_rules",
]
