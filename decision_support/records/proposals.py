"""Proposals (every version kept), their simulation evidence and the decisions on them.

A proposal row carries its current version; a write names the version it was based on (``expected_version``)
and is refused with :class:`StaleVersion` when someone else wrote in between (optimistic locking). Every version
is copied to ``proposal_versions``; evidence and decisions are append-only rows, a correction of a decision is a
new decision pointing to the one it corrects.
"""

from __future__ import annotations

import builtins
import hashlib
import json
from collections.abc import Mapping
from datetime import date
from typing import Any

import sqlalchemy as sa

from .. import api
from ..i18n import _
from . import audit, testhook
from .errors import NotFound, StaleVersion, WrongState
from .models import (
    Decision,
    DecisionInputs,
    Evidence,
    Outcome,
    Proposal,
    ProposalContent,
    ProposalState,
    ProposalVersion,
)
from .schema import decisions, proposal_versions, proposals, simulations
from .store import Database, new_id

EDITABLE = (ProposalState.DRAFT,)
SIMULATABLE = (ProposalState.DRAFT, ProposalState.SUBMITTED)
MAX_TITLE = 300


def content_hash(content: ProposalContent) -> str:
    return hashlib.sha256(audit.canonical_json(content.model_dump(mode="json")).encode("utf-8")).hexdigest()


def _proposal(row: Any) -> Proposal:
    return Proposal(
        id=row.id,
        version=row.version,
        state=ProposalState(row.state),
        title=row.title,
        content=ProposalContent.model_validate_json(row.content),
        created_at=row.created_at,
        created_by=row.created_by,
        updated_at=row.updated_at,
        updated_by=row.updated_by,
    )


def _version(row: Any) -> ProposalVersion:
    return ProposalVersion(
        proposal_id=row.proposal_id,
        version=row.version,
        state=ProposalState(row.state),
        title=row.title,
        content=ProposalContent.model_validate_json(row.content),
        at=row.at,
        actor=row.actor,
    )


def _evidence(row: Any) -> Evidence:
    return Evidence(
        id=row.id,
        proposal_id=row.proposal_id,
        proposal_version=row.proposal_version,
        scenario_text=row.scenario_text,
        scenario_sha256=row.scenario_sha256,
        seed=int(row.seed),
        replications=row.replications,
        verdict=row.verdict,
        results=json.loads(row.results),
        at=row.at,
        actor=row.actor,
    )


def _decision(row: Any) -> Decision:
    return Decision(
        id=row.id,
        proposal_id=row.proposal_id,
        proposal_version=row.proposal_version,
        outcome=Outcome(row.outcome),
        reason=row.reason,
        sk_number=row.sk_number,
        tmt=row.tmt,
        corrects=row.corrects,
        overrides=json.loads(row.overrides) if row.overrides else {},
        at=row.at,
        actor=row.actor,
    )


def _title(title: str) -> str:
    title = title.strip()
    if not title or len(title) > MAX_TITLE:
        message = _("give the proposal a title of 1 to {n} characters").format(n=MAX_TITLE)
        raise api.InputError([api.Problem(api.Location("proposal"), message, field="title")])
    return title


def decision_problems(outcome: str, reason: str, sk_number: str | None, tmt: str | None) -> builtins.list[api.Problem]:
    """Everything wrong with a decision as entered, each naming its field."""
    where = api.Location("decision")
    problems = []
    if outcome not in {o.value for o in Outcome}:
        problems.append(
            api.Problem(where, _("expected approve or reject, not '{value}'").format(value=outcome), field="outcome")
        )
    if not reason.strip():
        problems.append(api.Problem(where, _("state the reason for the decision"), field="reason"))
    if outcome == Outcome.APPROVE:
        if not (sk_number or "").strip():
            problems.append(
                api.Problem(
                    where, _("an approval needs the number of the SK (decree) that enacts it"), field="sk_number"
                )
            )
        elif len(sk_number or "") > 100:
            problems.append(api.Problem(where, _("at most 100 characters"), field="sk_number"))
        if not (tmt or "").strip():
            problems.append(
                api.Problem(where, _("an approval needs the TMT (the date the transfer takes effect)"), field="tmt")
            )
        else:
            try:
                api.parse_date(str(tmt))
            except ValueError:
                message = _("'{value}' is not a date; expected YYYY-MM-DD").format(value=tmt)
                problems.append(api.Problem(where, message, field="tmt"))
    elif sk_number or tmt:
        problems.append(
            api.Problem(where, _("a rejection has no SK number or TMT"), field="sk_number" if sk_number else "tmt")
        )
    return problems


def override_problems(
    content: ProposalContent, outcome: str, overrides: Mapping[str, str]
) -> builtins.list[api.Problem]:
    """Everything wrong with the override reasons of a decision on ``content``, each naming its move.

    Approving a move the active rules did not find eligible (excluded, or undecided for missing data) is the
    review body's call, but never a silent one: each such move needs its own reason. Reasons for moves that are
    not in the proposal, or that were eligible anyway, are refused so that the record says only what happened.
    """
    where = api.Location("decision")
    verdicts = {e.nip: e for e in content.explanations}
    problems = []
    if outcome != Outcome.APPROVE:
        if overrides:
            problems.append(
                api.Problem(
                    where, _("a rejection overrides no rule; leave out the override reasons"), field="overrides"
                )
            )
        return problems
    for move in content.moves:
        explained = verdicts.get(move.nip)
        if explained is None or explained.verdict == "eligible" or (overrides.get(move.nip) or "").strip():
            continue
        rules = ", ".join(explained.failed) or _("data missing")
        message = _(
            "the move to {target} is {verdict} under the active rules ({rules}); approving it needs a reason for "
            "overriding them"
        ).format(target=move.target, verdict=_verdict_word(explained.verdict), rules=rules)
        problems.append(
            api.Problem(
                where,
                message,
                entity=_("employee {nip}").format(nip=move.nip),
                field="overrides",
                hint=_("Give it as the override of NIP {nip}.").format(nip=move.nip),
            )
        )
    moved = [m.nip for m in content.moves]
    for nip, reason in overrides.items():
        entity = _("employee {nip}").format(nip=nip)
        if nip not in moved:
            problems.append(
                api.Problem(
                    where,
                    _("no move of this employee is in the proposal"),
                    entity=entity,
                    field="overrides",
                    hint=api.did_you_mean(nip, moved),
                )
            )
        elif not reason.strip():
            problems.append(api.Problem(where, _("the override reason is empty"), entity=entity, field="overrides"))
        elif verdicts.get(nip) is not None and verdicts[nip].verdict == "eligible":
            problems.append(
                api.Problem(
                    where,
                    _("the move is eligible under the active rules: nothing to override"),
                    entity=entity,
                    field="overrides",
                )
            )
    return problems


def _verdict_word(verdict: str) -> str:
    return {"excluded": _("excluded"), "unknown": _("undecided")}.get(verdict, verdict)


class Proposals:
    """``store.proposals``: drafts, versions, evidence, submission and decisions."""

    def __init__(self, db: Database) -> None:
        self._db = db

    # -- reading -------------------------------------------------------------------------------------------
    def get(self, proposal_id: int) -> Proposal:
        with self._db.read() as conn:
            return self._get(conn, proposal_id)

    @staticmethod
    def _get(conn: sa.Connection, proposal_id: int) -> Proposal:
        row = conn.execute(sa.select(proposals).where(proposals.c.id == proposal_id)).first()
        if row is None:
            raise NotFound("proposal", proposal_id)
        return _proposal(row)

    def list(self, state: ProposalState | str | None = None) -> builtins.list[Proposal]:
        query = sa.select(proposals).order_by(proposals.c.id)
        if state is not None:
            query = query.where(proposals.c.state == ProposalState(state).value)
        with self._db.read() as conn:
            return [_proposal(r) for r in conn.execute(query)]

    def history(self, proposal_id: int) -> builtins.list[ProposalVersion]:
        query = sa.select(proposal_versions).where(proposal_versions.c.proposal_id == proposal_id)
        with self._db.read() as conn:
            rows = [_version(r) for r in conn.execute(query.order_by(proposal_versions.c.version))]
        if not rows:
            raise NotFound("proposal", proposal_id)
        return rows

    def version(self, proposal_id: int, version: int) -> ProposalVersion:
        query = sa.select(proposal_versions).where(
            proposal_versions.c.proposal_id == proposal_id, proposal_versions.c.version == version
        )
        with self._db.read() as conn:
            row = conn.execute(query).first()
        if row is None:
            raise NotFound("proposal version", f"{proposal_id}/{version}")
        return _version(row)

    def evidence(self, proposal_id: int) -> builtins.list[Evidence]:
        query = sa.select(simulations).where(simulations.c.proposal_id == proposal_id).order_by(simulations.c.id)
        with self._db.read() as conn:
            return [_evidence(r) for r in conn.execute(query)]

    def latest_evidence(self, proposal_id: int, version: int | None = None) -> Evidence | None:
        """The last simulation of the proposal (of ``version`` when given)."""
        runs = [e for e in self.evidence(proposal_id) if version is None or e.proposal_version == version]
        return runs[-1] if runs else None

    def decision(self, decision_id: int) -> Decision:
        with self._db.read() as conn:
            row = conn.execute(sa.select(decisions).where(decisions.c.id == decision_id)).first()
        if row is None:
            raise NotFound("decision", decision_id)
        return _decision(row)

    def decisions(self, proposal_id: int | None = None) -> builtins.list[Decision]:
        query = sa.select(decisions).order_by(decisions.c.id)
        if proposal_id is not None:
            query = query.where(decisions.c.proposal_id == proposal_id)
        with self._db.read() as conn:
            return [_decision(r) for r in conn.execute(query)]

    # -- writing -------------------------------------------------------------------------------------------
    def create(self, title: str, content: ProposalContent, *, actor: str) -> Proposal:
        """A new draft at version 1."""
        title = _title(title)
        at = audit.now()
        with self._db.write() as conn:
            values = {
                "version": 1,
                "state": ProposalState.DRAFT.value,
                "title": title,
                "content": content.model_dump_json(),
                "created_at": at,
                "created_by": actor,
                "updated_at": at,
                "updated_by": actor,
            }
            proposal_id = new_id(conn.execute(proposals.insert().values(**values)))
            self._keep_version(conn, proposal_id, 1, ProposalState.DRAFT, title, content, at, actor)
            audit.append(
                conn,
                actor,
                "proposal.create",
                "proposal",
                proposal_id,
                self._summary(1, ProposalState.DRAFT, title, content),
            )
            return self._get(conn, proposal_id)

    def update(
        self,
        proposal_id: int,
        expected_version: int,
        *,
        actor: str,
        title: str | None = None,
        content: ProposalContent | None = None,
    ) -> Proposal:
        """A new version of a draft; :class:`StaleVersion` when ``expected_version`` is not the current one."""
        with self._db.write() as conn:
            current = self._current(conn, proposal_id, expected_version, EDITABLE)
            new_title = _title(title) if title is not None else current.title
            return self._write_version(
                conn, current, actor, "proposal.update", current.state, new_title, content or current.content
            )

    def submit(self, proposal_id: int, expected_version: int, *, actor: str) -> Proposal:
        """Hand a draft to the review body (it can no longer be edited)."""
        with self._db.write() as conn:
            current = self._current(conn, proposal_id, expected_version, EDITABLE)
            return self._write_version(
                conn, current, actor, "proposal.submit", ProposalState.SUBMITTED, current.title, current.content
            )

    def attach_evidence(
        self,
        proposal_id: int,
        expected_version: int,
        *,
        actor: str,
        scenario_text: str,
        seed: int,
        replications: int,
        verdict: str,
        results: dict[str, Any],
    ) -> Evidence:
        """Record a simulation of the proposal's current version (it must still be ``expected_version``)."""
        with self._db.write() as conn:
            current = self._current(conn, proposal_id, expected_version, SIMULATABLE)
            values: dict[str, Any] = {
                "proposal_id": proposal_id,
                "proposal_version": current.version,
                "scenario_text": scenario_text,
                "scenario_sha256": hashlib.sha256(scenario_text.encode("utf-8")).hexdigest(),
                "seed": seed,
                "replications": replications,
                "verdict": verdict,
                "results": audit.canonical_json(results),
                "at": audit.now(),
                "actor": actor,
            }
            evidence_id = new_id(conn.execute(simulations.insert().values(**values)))
            payload = {
                "proposal_id": proposal_id,
                "proposal_version": current.version,
                "scenario_sha256": values["scenario_sha256"],
                "seed": seed,
                "replications": replications,
                "verdict": verdict,
                "results_sha256": hashlib.sha256(values["results"].encode("utf-8")).hexdigest(),
            }
            audit.append(conn, actor, "proposal.evidence", "simulation", evidence_id, payload)
            row = conn.execute(sa.select(simulations).where(simulations.c.id == evidence_id)).one()
            return _evidence(row)

    def decide(
        self,
        proposal_id: int,
        expected_version: int,
        *,
        actor: str,
        outcome: Outcome | str,
        reason: str,
        sk_number: str | None = None,
        tmt: str | date | None = None,
        corrects: int | None = None,
        overrides: Mapping[str, str] | None = None,
    ) -> Decision:
        """Record the review body's decision on a submitted proposal.

        An approval needs the SK number and the TMT; a rejection has neither (``api.InputError`` listing every
        problem). ``corrects``: the id of the proposal's last decision, which this one corrects (the proposal is
        then already decided); the corrected decision stays on record. ``overrides``: per NIP, why a move the
        active rules did not find eligible is approved anyway; an approval needs one for each such move
        (:func:`override_problems`).
        """
        outcome = str(outcome.value if isinstance(outcome, Outcome) else outcome)
        tmt_text = tmt.isoformat() if isinstance(tmt, date) else (str(tmt).strip() if tmt else None)
        problems = decision_problems(outcome, reason, sk_number, tmt_text)
        if problems:
            raise api.InputError(problems)
        if tmt_text:
            tmt_text = api.parse_date(tmt_text).isoformat()
        with self._db.write() as conn:
            allowed = (ProposalState.APPROVED, ProposalState.REJECTED) if corrects else (ProposalState.SUBMITTED,)
            current = self._current(conn, proposal_id, expected_version, allowed)
            if corrects is not None:
                self._check_corrected(conn, proposal_id, corrects)
            reasons = {str(nip).strip(): str(text).strip() for nip, text in (overrides or {}).items()}
            wrong = override_problems(current.content, outcome, reasons)
            if wrong:
                raise api.InputError(wrong)
            state = ProposalState.APPROVED if outcome == Outcome.APPROVE else ProposalState.REJECTED
            updated = self._write_version(
                conn, current, actor, "proposal.decide", state, current.title, current.content
            )
            values = {
                "proposal_id": proposal_id,
                "proposal_version": updated.version,
                "outcome": outcome,
                "reason": reason.strip(),
                "sk_number": sk_number.strip() if sk_number else None,
                "tmt": tmt_text,
                "corrects": corrects,
                "overrides": audit.canonical_json(reasons) if reasons else None,
                "at": audit.now(),
                "actor": actor,
            }
            decision_id = new_id(conn.execute(decisions.insert().values(**values)))
            # Fault tests kill the server here: the new version and the decision are written, the audit entry not.
            testhook.pause("decision.write")
            payload = {
                k: values[k]
                for k in ("proposal_id", "proposal_version", "outcome", "reason", "sk_number", "tmt", "corrects")
            }
            if reasons:  # decisions without overrides keep the payload (and hash) they always had
                payload["overrides"] = reasons
            audit.append(conn, actor, "decision.create", "decision", decision_id, payload)
            return _decision(conn.execute(sa.select(decisions).where(decisions.c.id == decision_id)).one())

    def inputs(self, decision_id: int, rules: Any) -> DecisionInputs:
        """A decision with the proposal version it was taken on, its evidence and the rule files used."""
        decision = self.decision(decision_id)
        # The decided version repeats the content of the version before it; evidence belongs to that one.
        proposal = self.version(decision.proposal_id, decision.proposal_version)
        # Evidence counts only when it was made on a version with this very content (not an earlier draft's).
        runs = [
            e
            for e in self.evidence(decision.proposal_id)
            if e.proposal_version < decision.proposal_version
            and self.version(decision.proposal_id, e.proposal_version).content == proposal.content
        ]
        files = tuple(rules.files(list(proposal.content.rule_files)))
        return DecisionInputs(
            decision=decision, proposal=proposal, evidence=runs[-1] if runs else None, rule_files=files
        )

    # -- helpers -------------------------------------------------------------------------------------------
    def _current(
        self, conn: sa.Connection, proposal_id: int, expected_version: int, allowed: tuple[ProposalState, ...]
    ) -> Proposal:
        current = self._get(conn, proposal_id)
        if current.version != expected_version:
            raise StaleVersion("proposal", proposal_id, expected_version, current.version)
        if current.state not in allowed:
            raise WrongState(
                _("proposal {id} is {state}; this needs it to be {allowed}").format(
                    id=proposal_id, state=current.state.value, allowed=" / ".join(s.value for s in allowed)
                )
            )
        return current

    def _check_corrected(self, conn: sa.Connection, proposal_id: int, corrects: int) -> None:
        query = sa.select(decisions.c.id).where(decisions.c.proposal_id == proposal_id).order_by(decisions.c.id.desc())
        last = conn.execute(query.limit(1)).scalar()
        if last != corrects:
            raise WrongState(
                _("decision {id} is not the last decision on proposal {proposal} (that is {last})").format(
                    id=corrects, proposal=proposal_id, last=last
                )
            )

    def _write_version(
        self,
        conn: sa.Connection,
        current: Proposal,
        actor: str,
        action: str,
        state: ProposalState,
        title: str,
        content: ProposalContent,
    ) -> Proposal:
        at, version = audit.now(), current.version + 1
        # The version in WHERE makes the write itself refuse a concurrent one, whatever the isolation level.
        result = conn.execute(
            proposals.update()
            .where(proposals.c.id == current.id, proposals.c.version == current.version)
            .values(
                version=version,
                state=state.value,
                title=title,
                content=content.model_dump_json(),
                updated_at=at,
                updated_by=actor,
            )
        )
        if result.rowcount != 1:
            now_version = self._get(conn, current.id).version
            raise StaleVersion("proposal", current.id, current.version, now_version)
        self._keep_version(conn, current.id, version, state, title, content, at, actor)
        audit.append(conn, actor, action, "proposal", current.id, self._summary(version, state, title, content))
        return self._get(conn, current.id)

    @staticmethod
    def _keep_version(
        conn: sa.Connection,
        proposal_id: int,
        version: int,
        state: ProposalState,
        title: str,
        content: ProposalContent,
        at: str,
        actor: str,
    ) -> None:
        conn.execute(
            proposal_versions.insert().values(
                proposal_id=proposal_id,
                version=version,
                state=state.value,
                title=title,
                content=content.model_dump_json(),
                at=at,
                actor=actor,
            )
        )

    @staticmethod
    def _summary(version: int, state: ProposalState, title: str, content: ProposalContent) -> dict[str, Any]:
        return {
            "version": version,
            "state": state.value,
            "title": title,
            "moves": [[m.nip, m.origin, m.target] for m in content.moves],
            "dataset_sha256": content.dataset.sha256,
            "packs": [[p.pack, p.version, p.sha256] for p in content.packs],
            "content_sha256": content_hash(content),
        }
