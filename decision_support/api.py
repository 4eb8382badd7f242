"""The public API: the one place the CLI, the HTTP API and SIMPEG plugins call into.

Each function is a stage of the pipeline
``dataset folder -> validated Dataset -> workload analysis -> report``, and
``scenario file -> simulation (baseline vs proposal) -> verdict and report``;
``observations after the moves -> monitoring against the projection -> flags and report``;
rules (check, test, explain, screen, diff) and plans. Everything the CLI, the HTTP service and plugins
need is here, renderers and error types included; ``decision_support.__all__`` is exactly :data:`__all__`.
The layering (nothing below imports this module; ``cli*`` modules import the core only through it) is
enforced by the import-linter contracts in ``pyproject.toml``. Reference: docs/api.md.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from ._version import __version__
from .errors import ExitCode, InputError, Location, OutputError, Problem, SeimbangError, did_you_mean
from .execution import (
    DASK_TIMEOUT,
    Executor,
    ExecutorUnavailable,
    ExecutorURLError,
    JobFailed,
    ProcessExecutor,
    SerialExecutor,
    cpu_workers,
)
from .execution import executor_from_url as _executor_from_url
from .i18n import LANGUAGES, _, current_language, language, set_language
from .models import WKE_CHOICES, Dataset
from .models.base import _parse_date
from .models.codes import NipParts, parse_nip
from .models.participation import StatedView
from .monitoring import MonitoringReport
from .monitoring import monitor as _monitor
from .participation import FORMATS as CONSULTATION_FORMATS
from .participation import (
    ConsultationSummary,
    LoadedProposal,
    ParticipationRecord,
    ProposedMove,
    SurveyImport,
    Treatment,
)
from .participation import consultation_summary as _consultation_summary
from .participation import import_survey as _import_survey
from .participation import load_proposal as _load_proposal
from .participation import participation_of as _participation_of
from .participation import render_consultation as _render_consultation
from .participation import render_record as _render_record
from .participation import write_participation as _write_participation
from .planning import MODES as PLAN_MODES
from .planning import Plan, PlanOptions
from .planning import make_plan as _make_plan
from .planning.frontier import FrontierPlan, pareto_plans, render_pareto
from .planning.planfile import render_summary as render_plan_summary
from .planning.planfile import render_yaml as render_plan
from .planning.provenance import dataset_hash
from .plugins import (
    DerivedFact,
    ImportSummary,
    PluginInfo,
    Plugins,
    RuleOperator,
    SkippedRow,
    SourceRequest,
    TableCount,
    hookimpl,
)
from .plugins import plugins as default_plugins
from .report.formatting import number as format_number
from .report.monitoring_html import render_html as _monitoring_html
from .report.monitoring_report import render_csv as _monitoring_csv
from .report.monitoring_report import render_json as _monitoring_json
from .report.monitoring_report import render_table as _monitoring_table
from .report.rules_report import render_check as _render_check
from .report.rules_report import render_diff as _render_diff
from .report.rules_report import render_explanation as _render_explanation
from .report.rules_report import render_screening as _render_screening
from .report.rules_report import render_tests as _render_tests
from .report.simulation_data import to_csv as _simulation_csv
from .report.simulation_data import to_json as _simulation_json
from .report.simulation_html import render_html as _simulation_html
from .report.simulation_report import render_summary as _simulation_summary
from .report.sweep_report import render_html as _sweep_html
from .report.sweep_report import render_summary as _sweep_summary
from .report.sweep_report import to_csv as _sweep_csv
from .report.sweep_report import to_json as _sweep_json
from .report.workload_report import SORTS, VIEWS, render
from .resources import RULES_ENV_VAR, default_rule_paths, example_dataset, rule_pack_schema_path, shipped_path
from .review import Period, Review, ReviewSettings, parse_period, render_pack, run_review
from .rules.evaluation import ENGINES
from .rules.language import rule_pack_schema
from .rules.loading import RuleSet
from .rules.local import check_local_governments
from .rules.service import (
    Explanation,
    RuleDiff,
    ScreeningReport,
    diff_rules,
    explain_move,
    explain_proposal,
)
from .rules.service import check_rules as _check_rules
from .rules.service import screen_needs as _screen_needs
from .rules.service import test_rules as _test_rules
from .rules.testing import TestReport
from .simulation import (
    LoadedScenario,
    LoadedSweep,
    Progress,
    SimulationResult,
    SweepResult,
    WorkEstimate,
    check_sweep_work,
    check_work,
    is_sweep_file,
)
from .simulation import load_scenario as _load_scenario
from .simulation import load_sweep as _load_sweep
from .simulation import simulate as _simulate
from .simulation import simulate_sweep as _simulate_sweep
from .sources import load_dataset as _load_dataset
from .sources import load_dataset_with_notices
from .sources.validation import validate_row as _validate_row
from .workload import WorkloadReport
from .workload import analyse_workload as _analyse_workload

FORMATS = ("table", "json", "csv")


def parse_date(text: str) -> date:
    """A date as users write it: ``YYYY-MM-DD`` (or ``DD-MM-YYYY``, ``DD/MM/YYYY``); ``ValueError`` otherwise."""
    value = _parse_date(text)
    if not isinstance(value, date):
        raise ValueError(f"expected a date string, not {text!r}")
    return value


def check_rules(paths: list[Path] | list[str] | None = None) -> RuleSet:
    """Load and check every rule file under ``paths``; raises :class:`InputError` with every problem.

    ``None`` means :func:`default_rule_paths`: ``$SEIMBANG_RULES``, else the rule packs shipped with seimbang.
    """
    return _check_rules([Path(p) for p in paths] if paths is not None else default_rule_paths())


def test_rules(paths: list[Path] | list[str] | None = None, engine: str = "durable") -> TestReport:
    """Run the tests next to the rules under ``paths`` (``None``: :func:`default_rule_paths`), with coverage."""
    return _test_rules([Path(p) for p in paths] if paths is not None else default_rule_paths(), engine)


test_rules.__test__ = False  # type: ignore[attr-defined]  # pytest: not a test


def render_rule_check(ruleset: RuleSet) -> str:
    """The summary of a checked rule set, in the active language."""
    return _render_check(ruleset)


def render_rule_tests(report: TestReport, fmt: str = "table") -> str:
    """Rule test results with coverage: ``table`` or ``json``."""
    return _render_tests(report, fmt)


def render_explanation(explanation: Explanation, fmt: str = "table") -> str:
    """Every rule for one move: ``table``, ``json`` or ``csv``."""
    return _render_explanation(explanation, fmt)


def render_screening(report: ScreeningReport, fmt: str = "table", top: int = 10, show_excluded: bool = False) -> str:
    """Ranked candidates per need (``top`` per need; excluded ones on request): ``table``, ``json`` or ``csv``."""
    return _render_screening(report, fmt, top, show_excluded)


def render_rule_diff(diff: RuleDiff, fmt: str = "table") -> str:
    """Candidates whose verdict changes between two rule versions: ``table``, ``json`` or ``csv``."""
    return _render_diff(diff, fmt)


def load_dataset(folder: str | Path) -> Dataset:
    """Load and validate a dataset folder; raises :class:`InputError` listing every problem."""
    return _load_dataset(folder)


def load_source(
    location: str | Path,
    *,
    mapping: str | Path | None = None,
    plugins: Plugins | None = None,
    progress: Callable[[int, int | None], None] | None = None,
) -> Dataset:
    """The workforce dataset at ``location``, read by the first plugin whose ``seimbang_source`` hook reads it.

    A dataset folder is read by the built-in source; a database URL with a ``mapping`` file by a SIMPEG plugin.
    ``plugins`` defaults to :func:`default_plugins`. Raises :class:`InputError` when no plugin reads it or the
    data has problems.
    """
    request = SourceRequest(str(location), Path(mapping) if mapping is not None else None, progress)
    return (plugins or default_plugins()).load_source(request)


def import_source(
    location: str,
    output: str | Path,
    *,
    mapping: str | Path | None = None,
    plugins: Plugins | None = None,
    progress: Callable[[int, int | None], None] | None = None,
) -> ImportSummary:
    """Write the dataset at ``location`` (a database URL, with its ``mapping`` file) as the dataset folder
    ``output``, through the first plugin whose ``seimbang_import`` hook reads it. The summary counts rows read,
    imported and skipped per source table and lists every skipped row with its key and reason."""
    request = SourceRequest(str(location), Path(mapping) if mapping is not None else None, progress)
    return (plugins or default_plugins()).import_source(request, Path(output))


def check_rules_on(ruleset: RuleSet, dataset: Dataset) -> None:
    """Check that the local governments the packs and calendars of ``ruleset`` name are those of ``dataset``.

    Raises :class:`InputError` with each unknown name, located in its rule file, with a "did you mean".
    """
    problems = check_local_governments(ruleset, dataset)
    if problems:
        raise InputError(problems)


def screen_needs(
    dataset: Dataset,
    report: WorkloadReport,
    ruleset: RuleSet,
    *,
    positions: list[str] | None = None,
    as_of: date | None = None,
    engine: str = "durable",
    explain_top: int = 0,
    explain_excluded: bool = False,
    workers: int | None = None,
    plugins: Plugins | None = None,
    executor: Executor | None = None,
    progress: Progress | None = None,
    across_local_governments: bool = False,
) -> ScreeningReport:
    """Screen candidates for ``positions`` (default: every under-staffed position), then publish the result
    through the ``seimbang_after_screening`` hook of ``plugins`` (default: :func:`default_plugins`).

    The first ``explain_top`` eligible candidates of each need (and with ``explain_excluded`` every excluded one)
    carry full explanations. The needs run in shards on ``executor`` (see :func:`executor_from_url`; default: this
    process, or ``workers`` local processes, each loading the plugins of ``plugins``); ``progress(done, total)`` after each
    shard. The result does not depend on the executor or the number of workers.

    In a dataset that lists ``local_governments``, each need is screened with its local government's packs and
    calendar over that local government's employees; ``across_local_governments`` adds the employees of the
    others (moves decided by the Gubernur, PP 11/2017 Pasal 192, labelled so in the report).
    """
    host = plugins or default_plugins()
    result = _screen_needs(
        dataset,
        report,
        ruleset,
        positions=positions,
        as_of=as_of,
        engine=engine,
        explain_top=explain_top,
        explain_excluded=explain_excluded,
        workers=workers,
        executor=executor,
        setup=host.worker_setup(),
        progress=progress,
        across_local_governments=across_local_governments,
    )
    host.publish("seimbang_after_screening", report=result, dataset=dataset)
    return result


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
    plugins: Plugins | None = None,
    progress: Callable[[int, int], None] | None = None,
    across_local_governments: bool = False,
) -> Plan:
    """A transfer plan (voluntary exchange, then balance optimiser), every move checked with the rules, published
    through the ``seimbang_after_plan`` hook of ``plugins`` (default: :func:`default_plugins`).

    ``source`` is the dataset folder, hashed into the plan's input hash. ``progress(done, total)`` is called after
    each under-staffed position is screened; ``done == total`` means solving starts. Raises ``ValueError`` for
    bad options. In a dataset that lists local governments moves stay inside each one unless
    ``across_local_governments`` (PP 11/2017 Pasal 191 and 192).
    """
    source_path = Path(source) if source else None
    plan = _make_plan(
        dataset, report, ruleset, options, as_of=as_of, source=source_path, progress=progress,
        across_local_governments=across_local_governments,
    )  # fmt: skip
    (plugins or default_plugins()).publish("seimbang_after_plan", plan=plan, dataset=dataset)
    return plan


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
    executor: Executor | None = None,
    progress: Progress | None = None,
    plugins: Plugins | None = None,
) -> SimulationResult:
    """Simulate baseline and proposal with common random numbers and judge the proposal.

    ``replications`` (at least 2) and ``seed`` override the scenario's; the replications run on ``executor``
    (see :func:`executor_from_url`; default: ``workers`` local processes) without changing any result;
    ``progress(done, total)`` is called after each replication. The result
    is published through the ``seimbang_after_simulation`` hook of ``plugins`` (default: :func:`default_plugins`).
    Raises ``ValueError`` for an out-of-range argument.
    """
    if replications is not None and replications < 2:
        raise ValueError(f"replications must be at least 2, not {replications!r}")
    if seed is not None and not 0 <= seed < 2**63:
        raise ValueError(f"seed must be a non-negative 63-bit integer, not {seed!r}")
    if workers < 1:
        raise ValueError(f"workers must be at least 1, not {workers!r}")
    if executor is None:
        with executor_from_url("local", workers=workers) as local:
            return run_scenario(
                scenario, replications=replications, seed=seed, executor=local, progress=progress, plugins=plugins
            )
    result = _simulate(
        scenario, version=__version__, replications=replications, seed=seed, executor=executor, progress=progress
    )
    (plugins or default_plugins()).publish("seimbang_after_simulation", result=result)
    return result


def executor_from_url(text: str | None = None, *, workers: int | None = None, timeout: float | None = None) -> Executor:
    """Where jobs run: ``local`` (default; ``workers`` processes, default one per CPU), ``serial`` (this process)
    or ``dask://HOST:PORT`` (the workers of that Dask scheduler). Workers load the installed seimbang plugins
    before their first job. Use it as a context manager (or call ``close()``).

    Raises :class:`ExecutorURLError` (an :class:`InputError`) for a malformed URL, and
    :class:`ExecutorUnavailable` when the scheduler does not answer within ``timeout`` seconds (default 10) or
    has no workers. Reference: docs/execution.md.
    """
    wait = DASK_TIMEOUT if timeout is None else timeout
    return _executor_from_url(text, workers=workers, setup=default_plugins, timeout=wait)


def load_sweep(path: str | Path, *, replications: int | None = None, seed: int | None = None) -> LoadedSweep:
    """Load a sweep file (docs/sweeps.md): its base scenario, plan variants, staffing options and demand levels;
    ``replications`` (at least 2) and ``seed`` override the sweep's.

    Raises :class:`InputError` listing every problem, each at its file, line and column, and ``ValueError`` for
    an override out of range.
    """
    if replications is not None and replications < 2:
        raise ValueError(f"replications must be at least 2, not {replications!r}")
    if seed is not None and not 0 <= seed < 2**63:
        raise ValueError(f"seed must be a non-negative 63-bit integer, not {seed!r}")
    return _load_sweep(path, replications, seed)


def run_sweep(
    sweep: LoadedSweep,
    *,
    executor: Executor | None = None,
    workers: int = 1,
    progress: Progress | None = None,
    plugins: Plugins | None = None,
) -> SweepResult:
    """Simulate and judge every grid point of ``sweep``; every replication of every point is one job of
    ``executor`` (default: ``workers`` local processes), and the result does not depend on it.
    ``progress(done, total)`` counts replications over the whole grid. Each point's result is published through
    the ``seimbang_after_simulation`` hook of ``plugins`` (default: :func:`default_plugins`).
    """
    if executor is None:
        with executor_from_url("local", workers=workers) as local:
            return run_sweep(sweep, executor=local, progress=progress, plugins=plugins)
    result = _simulate_sweep(sweep, version=__version__, executor=executor, progress=progress)
    for point in result.points:
        (plugins or default_plugins()).publish("seimbang_after_simulation", result=point.result)
    return result


def render_sweep(result: SweepResult, *, fmt: str = "table") -> str:
    """A sweep's combined report as a terminal table of grid points and verdicts (``table``), ``json`` or
    ``csv``. Raises ``ValueError`` for a ``fmt`` not in :data:`FORMATS`."""
    renderers = {"table": _sweep_summary, "json": _sweep_json, "csv": _sweep_csv}
    if fmt not in renderers:
        raise ValueError(f"fmt must be one of {FORMATS}, not {fmt!r}")
    return renderers[fmt](result)


def render_sweep_html(result: SweepResult) -> str:
    """A sweep's combined report as one offline HTML page with the frontier chart."""
    return _sweep_html(result)


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


def load_proposal(path: str | Path, dataset: str | Path | Dataset | None = None) -> LoadedProposal:
    """The moves of a plan file (``seimbang plan``; needs ``dataset``) or a scenario, with their stated reasons.

    Raises :class:`InputError` with every problem.
    """
    return _load_proposal(path, dataset)


def consultation_summary(
    dataset: Dataset,
    moves: Sequence[ProposedMove | tuple[str, str]] | LoadedProposal,
    *,
    proposal: str = "",
    proposed_on: date | None = None,
) -> ConsultationSummary:
    """For each employee a proposal moves: their stated views and how the proposal treats each (docs/participation.md).

    ``moves``: a :class:`LoadedProposal` (from :func:`load_proposal`), :class:`ProposedMove` items (with the
    proposal's reasons) or bare ``(nip, position)`` pairs. ``proposed_on`` marks views stated after it.
    """
    if isinstance(moves, LoadedProposal):
        proposal = proposal or moves.name
        moves = moves.moves
    return _consultation_summary(dataset, moves, proposal=proposal, proposed_on=proposed_on)


def render_consultation(summary: ConsultationSummary, fmt: str = "table") -> str:
    """The consultation summary as ``table``, ``json`` or ``csv``, in the current language."""
    return _render_consultation(summary, fmt)


def participation_of(dataset: Dataset, nip: str) -> ParticipationRecord:
    """One employee's own participation record (for the employee role: their record only)."""
    return _participation_of(dataset, nip)


def import_survey(path: str | Path, dataset: Dataset) -> SurveyImport:
    """Read a survey form export (CSV/XLSX) into stated views checked against ``dataset``.

    Raises :class:`InputError` with every bad row (file, row, column, NIP, expected value, did you mean).
    """
    return _import_survey(path, dataset)


def render_participation_csv(survey: SurveyImport) -> str:
    """The imported views as the text of participation.csv."""
    return _write_participation(survey.views)


def render_participation_record(record: ParticipationRecord, fmt: str = "table") -> str:
    """An employee's own record as ``table`` or ``json``."""
    return _render_record(record, fmt)


def monitor(
    dataset: Dataset,
    observations: str | Path,
    *,
    projection: str | Path | None = None,
    plan: str | Path | None = None,
    policy: str | Path | None = None,
) -> MonitoringReport:
    """Follow up the approved moves: observations at 3, 6 and 12 months after the TMT against the projection.

    ``dataset`` is the dataset the plan was made on (before the moves); ``observations`` an observations
    folder (docs/monitoring.md); ``projection`` the JSON ``simulate`` wrote for the approved proposal (without
    it no service metric can be judged); ``plan`` a plan or scenario file naming the moves (default: the
    projection's moves; with both, they must agree); ``policy`` a policy file overriding the folder's
    ``policy.yaml``. Raises :class:`InputError` with every problem of every file. ``report.flagged`` says
    whether any poor adaptation was flagged.
    """
    return _monitor(dataset, observations, projection=projection, plan=plan, policy=policy)


def render_monitoring(report: MonitoringReport, *, fmt: str = "table") -> str:
    """``report`` per unit and per moved employee with its flags: ``table`` (in the active language), ``json``
    or ``csv``. Raises ``ValueError`` for a ``fmt`` not in :data:`FORMATS`."""
    renderers = {"table": _monitoring_table, "json": _monitoring_json, "csv": _monitoring_csv}
    if fmt not in renderers:
        raise ValueError(f"fmt must be one of {FORMATS}, not {fmt!r}")
    return renderers[fmt](report)


def render_monitoring_html(report: MonitoringReport) -> str:
    """``report`` as one self-contained HTML page with projected-against-observed charts, in the active language."""
    return _monitoring_html(report)


def review(
    dataset: Dataset,
    ruleset: RuleSet,
    period: Period | str,
    *,
    options: PlanOptions | None = None,
    template: LoadedScenario | None = None,
    source: str | Path | None = None,
    as_of: date | None = None,
    observations: str | Path | None = None,
    projection: str | Path | None = None,
    replications: int | None = None,
    seed: int | None = None,
    workers: int = 1,
    prepared_on: date | None = None,
    phase: Callable[[str], None] | None = None,
    progress: Progress | None = None,
    plugins: Plugins | None = None,
) -> Review:
    """The periodic review of ``period`` (``"2027-S1"`` or a :class:`Period`): workload, screening of the
    under-staffed positions, a plan (``options``), every move explained, the plan simulated over the period's
    peak window with ``template``'s calendar, demand and criteria (else the default review scenario), the
    participation of the employees moved and, with an ``observations`` folder (and the approved proposal's
    ``projection``), the monitoring of past moves (docs/review.md).

    A period the template's calendar does not cover (``calendar.covers``) is not judged: ``review.judgement`` is
    TIDAK DAPAT DINILAI. ``phase(label)`` is called as each step starts, ``progress(done, total)`` after each
    replication; the screening, plan and simulation are published through the hooks of ``plugins``. Raises
    :class:`InputError` for a bad period or input, ``ValueError`` for out-of-range numbers.
    """
    if replications is not None and replications < 2:
        raise ValueError(f"replications must be at least 2, not {replications!r}")
    if workers < 1:
        raise ValueError(f"workers must be at least 1, not {workers!r}")
    settings = ReviewSettings(
        options=options or PlanOptions(),
        as_of=as_of,
        source=Path(source) if source is not None else None,
        template=template,
        observations=Path(observations) if observations is not None else None,
        projection=Path(projection) if projection is not None else None,
        replications=replications,
        seed=seed,
        workers=workers,
        prepared_on=prepared_on,
    )
    return run_review(
        dataset,
        ruleset,
        parse_period(period) if isinstance(period, str) else period,
        settings,
        version=__version__,
        plugins=plugins or default_plugins(),
        phase=phase or (lambda label: None),
        progress=progress,
    )


def render_review_pack(result: Review) -> str:
    """The review's meeting pack: one self-contained HTML file that prints to A4, in the active language."""
    return render_pack(result)


__all__ = [
    "CONSULTATION_FORMATS",
    "ENGINES",
    "FORMATS",
    "LANGUAGES",
    "PLAN_MODES",
    "RULES_ENV_VAR",
    "SORTS",
    "VIEWS",
    "WKE_CHOICES",
    "ConsultationSummary",
    "Dataset",
    "DerivedFact",
    "Executor",
    "ExecutorURLError",
    "ExecutorUnavailable",
    "ExitCode",
    "Explanation",
    "FrontierPlan",
    "ImportSummary",
    "InputError",
    "JobFailed",
    "LoadedProposal",
    "LoadedScenario",
    "LoadedSweep",
    "Location",
    "MonitoringReport",
    "NipParts",
    "OutputError",
    "ParticipationRecord",
    "Period",
    "Plan",
    "PlanOptions",
    "PluginInfo",
    "Plugins",
    "Problem",
    "ProcessExecutor",
    "Progress",
    "ProposedMove",
    "Review",
    "RuleDiff",
    "RuleOperator",
    "RuleSet",
    "ScreeningReport",
    "SeimbangError",
    "SerialExecutor",
    "SimulationResult",
    "SkippedRow",
    "SourceRequest",
    "StatedView",
    "SurveyImport",
    "SweepResult",
    "TableCount",
    "TestReport",
    "Treatment",
    "WorkEstimate",
    "WorkloadReport",
    "__version__",
    "analyse_workload",
    "check_rules",
    "check_rules_on",
    "check_sweep_work",
    "check_work",
    "consultation_summary",
    "cpu_workers",
    "current_language",
    "dataset_hash",
    "default_plugins",
    "default_rule_paths",
    "did_you_mean",
    "diff_rules",
    "example_dataset",
    "executor_from_url",
    "explain_move",
    "explain_proposal",
    "format_number",
    "hookimpl",
    "import_source",
    "import_survey",
    "is_sweep_file",
    "language",
    "load_dataset",
    "load_dataset_with_notices",
    "load_proposal",
    "load_scenario",
    "load_source",
    "load_sweep",
    "make_plan",
    "monitor",
    "pareto_plans",
    "parse_date",
    "parse_nip",
    "parse_period",
    "participation_of",
    "render_consultation",
    "render_explanation",
    "render_monitoring",
    "render_monitoring_html",
    "render_pareto",
    "render_participation_csv",
    "render_participation_record",
    "render_plan",
    "render_plan_summary",
    "render_review_pack",
    "render_rule_check",
    "render_rule_diff",
    "render_rule_tests",
    "render_screening",
    "render_simulation",
    "render_simulation_html",
    "render_sweep",
    "render_sweep_html",
    "render_workload",
    "review",
    "rule_pack_schema",
    "rule_pack_schema_path",
    "run_scenario",
    "run_sweep",
    "screen_needs",
    "set_language",
    "shipped_path",
    "stated_views",
    "test_rules",
]


def stated_views(nip: str, views: Sequence[dict[str, Any]]) -> tuple[StatedView, ...]:
    """An employee's views as submitted (wishes, objections, hopes), validated with the participation model.

    Every view is the employee's own (``nip`` is set, a different one is refused). Raises :class:`InputError`
    naming each view (``views[2].rank``) and what was expected.
    """
    problems: list[Problem] = []
    found: list[StatedView] = []
    for index, view in enumerate(views):
        where = Location(f"views[{index}]")
        if not isinstance(view, dict):
            problems.append(Problem(where, _("expected an object with kind, unit, rank, reason, note")))
            continue
        if view.get("nip") not in (None, nip):
            problems.append(
                Problem(where, _("a view of another employee (NIP {nip})").format(nip=view["nip"]), field="nip")
            )
            continue
        entity = _("employee {nip}").format(nip=nip)
        view_at = f"views[{index}]"
        item, found_problems = _validate_row(
            StatedView, {**view, "nip": nip}, _fixed_location(view_at), fmt="json", entity=entity
        )
        problems += found_problems
        if item is not None:
            found.append(item)
    if problems:
        raise InputError(problems)
    return tuple(found)


def _fixed_location(where: str) -> Callable[[tuple[Any, ...], bool], Location]:
    """A locator naming one submitted view, whatever its field (the field is named by the problem)."""
    return lambda _loc, _at_key: Location(where)
