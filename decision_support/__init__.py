"""seimbang: decision support for balanced transfers (mutasi) of ASN.

The curated public API. Everything not listed in ``__all__`` may change
between versions; see docs/api.md.
"""

from .api import (
    FORMATS,
    SORTS,
    VIEWS,
    LoadedScenario,
    SimulationResult,
    analyse_workload,
    load_dataset,
    load_scenario,
    render_simulation,
    render_simulation_html,
    render_workload,
    run_scenario,
)
from .errors import ExitCode, InputError, Location, Problem, SeimbangError
from .i18n import set_language
from .models import Dataset
from .workload import WorkloadReport

__version__ = "0.1.0"

__all__ = [
    "FORMATS",
    "SORTS",
    "VIEWS",
    "Dataset",
    "ExitCode",
    "InputError",
    "LoadedScenario",
    "Location",
    "Problem",
    "SeimbangError",
    "SimulationResult",
    "WorkloadReport",
    "__version__",
    "analyse_workload",
    "load_dataset",
    "load_scenario",
    "render_simulation",
    "render_simulation_html",
    "render_workload",
    "run_scenario",
    "set_language",
]
