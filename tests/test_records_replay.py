"""Replay: a recorded decision is re-run from its stored inputs and reproduces its verdicts; a rule pack text
changed in the database, or a dataset changed on disk, is named with the moves and rules that flip."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from decision_support import api
from decision_support.cli import main
from decision_support.records import Decision, Proposal, open_store
from decision_support.records.replay import replay
from decision_support.records.workflow import MoveRequest, draft_proposal, moves_from_plan, simulate_proposal

REPO = Path(__file__).resolve().parents[1]
RULES = [
    REPO / "rules/nasional/nasional.yaml",
    REPO / "rules/sawahlunto/sawahlunto.yaml",
    REPO / "rules/sawahlunto/calendar.yaml",
]
MOVED = "199104182016011879"  # Refki Hamdani, SETDA general administration since 2016
MOVES = [
    MoveRequest(MOVED, "LOKET-DUKCAPIL.OPERATOR-DUKCAPIL"),
    MoveRequest("197206091997041255", "LOKET-DUKCAPIL.OPERATOR-DUKCAPIL"),
]


@dataclass
class Recorded:
    db: Path
    dataset: Path
    proposal: Proposal
    decision: Decision


def template() -> str:
    """The Disdukcapil scenario, shortened to three days so the test stays fast."""
    return (REPO / "scenarios/disdukcapil-mpp.yaml").read_text(encoding="utf-8").replace("days: 12", "days: 3")


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Recorded]:
    """A proposal drafted on a copy of the example dataset, simulated, submitted and approved."""
    folder = tmp_path_factory.mktemp("replay")
    dataset = folder / "sawahlunto"
    shutil.copytree(REPO / "datasets/sawahlunto", dataset)
    db = folder / "records.db"
    with open_store(db) as store, api.language("en"):
        ids = [store.rules.upload(p.name, p.read_text(encoding="utf-8"), actor="test:policy").id for p in RULES]
        store.rules.activate(ids, actor="test:policy", note="paket 2026.1")
        draft = draft_proposal(store, "Tiga operator Dukcapil", MOVES, dataset=str(dataset), actor="test:planner")
        simulate_proposal(store, draft.id, draft.version, template=template(), replications=3, actor="test:planner")
        submitted = store.proposals.submit(draft.id, draft.version, actor="test:planner")
        decision = store.proposals.decide(
            draft.id,
            submitted.version,
            actor="test:tpk",
            outcome="approve",
            reason="Antrean MPP",
            sk_number="821.2/12/BKPSDM/2026",
            tmt="2027-01-02",
        )
        yield Recorded(db, dataset, store.proposals.get(draft.id), decision)


def test_the_proposal_holds_its_inputs(recorded: Recorded) -> None:
    content = recorded.proposal.content
    assert [m.origin for m in content.moves] == ["SETDA.PENGADMIN-UMUM", "SETDA.PENGADMIN-UMUM"]
    assert content.dataset.sha256 == api.dataset_hash(api.load_dataset(recorded.dataset))
    assert {(p.pack, p.version) for p in content.packs} == {("nasional", "2026.1"), ("sawahlunto", "2026.1")}
    assert [e.verdict for e in content.explanations] == ["eligible", "eligible"]
    rules = {r["rule"] for r in content.explanations[0].explanation["decision"]["results"]}
    assert "masa_jabatan_minimal" in rules
    paths = [p["path"] for p in content.explanations[0].explanation["provenance"]["packs"]]
    assert all(p.startswith("records:rule_file/") for p in paths)


def test_cli_replay_prints_same_and_exits_0(recorded: Recorded) -> None:
    result = CliRunner().invoke(main, ["replay", str(recorded.decision.id), "--db", str(recorded.db), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert f"{MOVED} -> LOKET-DUKCAPIL.OPERATOR-DUKCAPIL: same (eligible)" in result.output
    assert "simulation: same (" in result.output
    assert "Reproduced: the verdicts are the same." in result.output


def test_a_rule_pack_changed_in_the_database_is_named_with_the_rules_that_flip(
    recorded: Recorded, tmp_path: Path
) -> None:
    copy = tmp_path / "records.db"
    shutil.copy(recorded.db, copy)
    engine = sa.create_engine(f"sqlite:///{copy}")
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "UPDATE rule_files SET text = replace(text, 'op: gte, value: 2}', 'op: gte, value: 20}') WHERE pack = 'nasional'"
            )
        )
    engine.dispose()
    result = CliRunner().invoke(main, ["replay", str(recorded.decision.id), "--db", str(copy), "--lang", "en"])
    assert result.exit_code == 1, result.output
    assert "rule file #1 (nasional.yaml) was changed in the database" in result.output
    assert f"{MOVED} -> LOKET-DUKCAPIL.OPERATOR-DUKCAPIL: DIFFERS: recorded eligible, now excluded" in result.output
    assert "rule masa_jabatan_minimal: pass -> FAIL" in result.output
    assert "NOT reproduced" in result.output


def test_a_changed_dataset_is_named(recorded: Recorded, tmp_path: Path) -> None:
    employees = recorded.dataset / "employees.csv"
    original = employees.read_text(encoding="utf-8")
    try:
        employees.write_text(
            original.replace(
                "SETDA.PENGADMIN-UMUM,SETDA,2016-01-01,1991-04-18", "SETDA.PENGADMIN-UMUM,SETDA,2025-09-01,1991-04-18"
            ),
            encoding="utf-8",
        )
        with open_store(recorded.db) as store, api.language("en"):
            report = replay(store, recorded.decision.id)
    finally:
        employees.write_text(original, encoding="utf-8")
    assert not report.reproduced
    assert any("changed since the decision: content hash" in c for c in report.causes)
    flipped = {m.nip: [f.rule for f in m.flipped] for m in report.moves if not m.same}
    assert "masa_jabatan_minimal" in flipped[MOVED]


def test_an_unknown_decision_is_invalid_input(recorded: Recorded) -> None:
    result = CliRunner().invoke(main, ["replay", "99", "--db", str(recorded.db), "--lang", "en"])
    assert result.exit_code == 2
    assert "no decision with id 99" in result.output


def test_moves_come_from_a_plan_file(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        f"moves:\n  - {{nip: '{MOVED}', to: LOKET-DUKCAPIL.OPERATOR-DUKCAPIL, note: tukar}}\n  - {{nip: '1'}}\n",
        encoding="utf-8",
    )
    with pytest.raises(api.InputError) as caught:
        moves_from_plan(plan)
    assert [p.field for p in caught.value.problems] == ["moves.2"]
    plan.write_text(
        f"moves:\n  - {{nip: '{MOVED}', to: LOKET-DUKCAPIL.OPERATOR-DUKCAPIL, note: tukar}}\n", encoding="utf-8"
    )
    assert moves_from_plan(plan) == [MoveRequest(MOVED, "LOKET-DUKCAPIL.OPERATOR-DUKCAPIL", note="tukar")]


def test_a_newer_active_rule_set_is_noted_and_the_decision_still_replays(recorded: Recorded, tmp_path: Path) -> None:
    """A policy officer publishes nasional 2026.2 after the decision: the replay still uses 2026.1 and says so."""
    copy = tmp_path / "records.db"
    shutil.copy(recorded.db, copy)
    newer = (
        RULES[0]
        .read_text(encoding="utf-8")
        .replace('version: "2026.1"', 'version: "2026.2"')
        .replace("op: gte, value: 2}", "op: gte, value: 20}")
    )
    with open_store(copy) as store, api.language("en"):
        uploaded = store.rules.upload("nasional.yaml", newer, actor="test:policy")
        others = [f.id for f in store.rules.active().files if f.pack != "nasional"]  # type: ignore[union-attr]
        store.rules.activate([uploaded.id, *others], actor="test:policy")
    result = CliRunner().invoke(main, ["replay", str(recorded.decision.id), "--db", str(copy), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert (
        "Note: the active rule set changed since this decision (now: nasional 2026.2, sawahlunto 2026.1)"
        in result.output
    )
