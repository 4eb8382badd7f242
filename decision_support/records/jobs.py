"""Jobs of the HTTP service (asynchronous simulations): queued, running, done, failed or lost.

When the service starts, :meth:`Jobs.recover` marks every job still ``running`` as ``lost``: its worker died
with the previous process and a half-run simulation cannot be resumed, so the requester is told to submit it
again, never left waiting. ``queued`` jobs stay queued and are claimed again. Progress updates are not state
changes and are not audited; creating, starting, finishing, failing and losing a job are.
"""

from __future__ import annotations

import builtins
import json
import secrets
from typing import Any

import sqlalchemy as sa

from ..i18n import N_, _
from . import audit
from .errors import NotFound, WrongState
from .models import Job, JobState
from .schema import jobs
from .store import Database

LOST_PROBLEM = N_("the service stopped while this job was running; submit it again")


def _job(row: Any) -> Job:
    return Job(
        id=row.id,
        kind=row.kind,
        state=JobState(row.state),
        request=json.loads(row.request),
        actor=row.actor,
        done=row.done,
        total=row.total,
        result=json.loads(row.result) if row.result is not None else None,
        problem=row.problem,
        created_at=row.created_at,
        started_at=row.started_at,
        finished_at=row.finished_at,
    )


class Jobs:
    """``store.jobs``."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def create(self, kind: str, request: dict[str, Any], *, actor: str) -> Job:
        job_id = "job_" + secrets.token_hex(8)
        with self._db.write() as conn:
            conn.execute(
                jobs.insert().values(
                    id=job_id,
                    kind=kind,
                    state=JobState.QUEUED.value,
                    request=audit.canonical_json(request),
                    actor=actor,
                    done=0,
                    created_at=audit.now(),
                )
            )
            audit.append(conn, actor, "job.create", "job", job_id, {"kind": kind, "request": request})
        return self.get(job_id)

    def get(self, job_id: str) -> Job:
        with self._db.read() as conn:
            row = conn.execute(sa.select(jobs).where(jobs.c.id == job_id)).first()
        if row is None:
            raise NotFound("job", job_id)
        return _job(row)

    def list(self, state: JobState | str | None = None) -> builtins.list[Job]:
        query = sa.select(jobs).order_by(jobs.c.created_at, jobs.c.id)
        if state is not None:
            query = query.where(jobs.c.state == JobState(state).value)
        with self._db.read() as conn:
            return [_job(r) for r in conn.execute(query)]

    def claim(self, *, worker: str, kind: str | None = None) -> Job | None:
        """The oldest queued job (of ``kind``), now running for ``worker``; None when the queue is empty."""
        with self._db.write() as conn:
            query = sa.select(jobs.c.id).where(jobs.c.state == JobState.QUEUED.value)
            if kind is not None:
                query = query.where(jobs.c.kind == kind)
            job_id = conn.execute(query.order_by(jobs.c.created_at, jobs.c.id).limit(1)).scalar()
            if job_id is None:
                return None
            self._transition(
                conn, job_id, (JobState.QUEUED,), JobState.RUNNING, worker, "job.start", started_at=audit.now()
            )
        return self.get(job_id)

    def start(self, job_id: str, *, worker: str) -> Job:
        """Start this queued job."""
        with self._db.write() as conn:
            self._transition(
                conn, job_id, (JobState.QUEUED,), JobState.RUNNING, worker, "job.start", started_at=audit.now()
            )
        return self.get(job_id)

    def progress(self, job_id: str, done: int, total: int | None = None) -> None:
        """Record how far a running job is (not audited: no state changes)."""
        with self._db.engine.connect() as conn, conn.execution_options(seimbang_write=True).begin():
            conn.execute(
                jobs.update()
                .where(jobs.c.id == job_id, jobs.c.state == JobState.RUNNING.value)
                .values(done=done, total=total)
            )

    def finish(self, job_id: str, result: dict[str, Any], *, worker: str) -> Job:
        with self._db.write() as conn:
            self._transition(
                conn,
                job_id,
                (JobState.RUNNING,),
                JobState.DONE,
                worker,
                "job.finish",
                result=audit.canonical_json(result),
                finished_at=audit.now(),
            )
        return self.get(job_id)

    def fail(self, job_id: str, problem: str, *, worker: str) -> Job:
        with self._db.write() as conn:
            self._transition(
                conn,
                job_id,
                (JobState.QUEUED, JobState.RUNNING),
                JobState.FAILED,
                worker,
                "job.fail",
                problem=problem,
                finished_at=audit.now(),
            )
        return self.get(job_id)

    def recover(self, *, actor: str = "service") -> builtins.list[Job]:
        """Mark the jobs left running by a stopped service as lost (see the module's docstring); returns them."""
        with self._db.write() as conn:
            running = (
                conn.execute(sa.select(jobs.c.id).where(jobs.c.state == JobState.RUNNING.value).order_by(jobs.c.id))
                .scalars()
                .all()
            )
            for job_id in running:
                self._transition(
                    conn,
                    job_id,
                    (JobState.RUNNING,),
                    JobState.LOST,
                    actor,
                    "job.lost",
                    problem=_(LOST_PROBLEM),
                    finished_at=audit.now(),
                )
        return [self.get(job_id) for job_id in running]

    @staticmethod
    def _transition(
        conn: sa.Connection,
        job_id: str,
        allowed: tuple[JobState, ...],
        state: JobState,
        actor: str,
        action: str,
        **values: Any,
    ) -> None:
        row = conn.execute(sa.select(jobs.c.state).where(jobs.c.id == job_id)).first()
        if row is None:
            raise NotFound("job", job_id)
        if JobState(row.state) not in allowed:
            raise WrongState(
                _("job {id} is {state}, not {allowed}").format(
                    id=job_id, state=row.state, allowed=" / ".join(s.value for s in allowed)
                )
            )
        conn.execute(jobs.update().where(jobs.c.id == job_id).values(state=state.value, **values))
        payload: dict[str, Any] = {"from": row.state, "to": state.value}
        if "problem" in values:
            payload["problem"] = values["problem"]
        if "result" in values:
            payload["result_sha256"] = audit.hashlib.sha256(values["result"].encode("utf-8")).hexdigest()
        audit.append(conn, actor, action, "job", job_id, payload)
