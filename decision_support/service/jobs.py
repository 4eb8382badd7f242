"""Simulations as background jobs: persisted in the records store, run by worker threads of the server.

A job is created ``queued`` in the database before the request returns, so it outlives the process: at start
the runner marks the jobs a stopped server left ``running`` as ``lost`` (their half-run simulation cannot be
resumed; the requester is told to submit again) and runs the ``queued`` ones. Progress (replications done) is
written to the job as the simulation runs. A job runs in the language of the request that submitted it.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from .. import api, records
from ..i18n import _
from ..records import workflow
from .context import SERVICE_ACTOR, ServiceContext

SIMULATE = "simulate"
log = logging.getLogger("seimbang.service.jobs")


class JobRunner:
    """Worker threads that claim queued jobs from the store until stopped."""

    def __init__(self, context: ServiceContext, threads: int = 1, poll_seconds: float = 1.0) -> None:
        self.context = context
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._poll = poll_seconds
        self._threads = [
            threading.Thread(target=self._loop, name=f"seimbang-job-{i + 1}", daemon=True) for i in range(threads)
        ]

    def start(self) -> list[records.Job]:
        """Report the jobs a stopped server left running as lost, then start the workers; returns the lost ones."""
        lost = self.context.store.jobs.recover(actor=SERVICE_ACTOR)
        for thread in self._threads:
            thread.start()
        return lost

    def submit(self, request: dict[str, Any], *, actor: str) -> records.Job:
        job = self.context.store.jobs.create(SIMULATE, request, actor=actor)
        self._wake.set()
        return job

    def stop(self, timeout: float = 0.5) -> None:
        """Ask the workers to stop; a running simulation is not waited for (it is reported lost at next start)."""
        self._stop.set()
        self._wake.set()
        for thread in self._threads:
            thread.join(timeout)

    def _loop(self) -> None:
        worker = f"{SERVICE_ACTOR}:{threading.current_thread().name}"
        while not self._stop.is_set():
            try:
                job = self.context.store.jobs.claim(worker=worker, kind=SIMULATE)
            except Exception:  # the database is briefly unreachable: try again at the next poll
                log.exception("cannot claim a job")
                job = None
            if job is None:
                self._wake.wait(self._poll)
                self._wake.clear()
                continue
            self._run(job, worker)

    def _run(self, job: records.Job, worker: str) -> None:
        store = self.context.store
        with api.language(job.request.get("language")):
            try:
                result = run_simulation(self.context, job, worker)
            except api.SeimbangError as exc:
                store.jobs.fail(job.id, problem_text(exc), worker=worker)
                return
            except Exception as exc:
                log.exception("job %s failed", job.id)
                message = _("Internal error in seimbang (a bug, not a problem with your data).")
                store.jobs.fail(job.id, f"{message} {type(exc).__name__}: {exc}", worker=worker)
                return
            store.jobs.finish(job.id, result, worker=worker)


def problem_text(exc: api.SeimbangError) -> str:
    if isinstance(exc, api.InputError):
        return exc.render() + "\n" + exc.summary()
    return str(exc)


def run_simulation(context: ServiceContext, job: records.Job, worker: str) -> dict[str, Any]:
    """Simulate the job's proposal version with its scenario template; the evidence's id, verdict and results."""
    request = job.request
    template = scenario_template(context, request)

    def progress(done: int, total: int) -> None:
        context.store.jobs.progress(job.id, done, total)

    evidence = workflow.simulate_proposal(
        context.store,
        int(request["proposal_id"]),
        int(request["version"]),
        template=template,
        seed=request.get("seed"),
        replications=request.get("replications"),
        workers=context.settings.simulation_workers,
        progress=progress,
        actor=str(request.get("actor") or job.actor),
    )
    return {
        "evidence_id": evidence.id,
        "proposal_id": evidence.proposal_id,
        "proposal_version": evidence.proposal_version,
        "verdict": evidence.verdict,
        "seed": evidence.seed,
        "replications": evidence.replications,
    }


def scenario_template(context: ServiceContext, request: dict[str, Any]) -> str:
    """The scenario text of the request: given inline, or a template of the service's scenario folder by name."""
    if request.get("scenario_text"):
        return str(request["scenario_text"])
    name = str(request.get("scenario") or "")
    choices = available_scenarios(context)
    if name not in choices:
        where = api.Location(_("request body"))
        message = _("no scenario template '{name}'").format(name=name)
        hint = did_you_mean(name, choices)
        raise api.InputError([api.Problem(where, message, field="scenario", hint=hint)])
    return (context.settings.scenarios / f"{name}.yaml").read_text(encoding="utf-8")


def available_scenarios(context: ServiceContext) -> list[str]:
    folder = context.settings.scenarios
    return sorted(p.stem for p in folder.glob("*.yaml")) if folder.is_dir() else []


def did_you_mean(value: str, choices: list[str]) -> str | None:
    import difflib

    match = difflib.get_close_matches(value, choices, n=1, cutoff=0.6)
    if match:
        return _("Did you mean '{choice}'?").format(choice=match[0])
    return _("Expected one of: {choices}").format(choices=", ".join(choices)) if choices else None
