"""``seimbang tokens`` and the records commands as a user sees them: messages, languages and exit codes."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from decision_support.cli import main


@pytest.fixture
def db(tmp_path: Path) -> str:
    return str(tmp_path / "records.db")


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_a_token_is_created_listed_and_revoked(db: str) -> None:
    code, out, err = run("tokens", "create", "Sekretariat TPK", "--role", "approver", "--db", db, "--lang", "en")
    assert code == 0
    secret = out.strip()
    assert secret.startswith("smb_") and len(secret) > 40
    assert "created for 'Sekretariat TPK' with role approver" in err and "shown only now" in err
    engine = sa.create_engine(f"sqlite:///{db}")
    with engine.connect() as conn:
        token_id, stored = conn.execute(sa.text("SELECT id, secret_sha256 FROM tokens")).one()
    engine.dispose()
    assert stored == hashlib.sha256(secret.encode()).hexdigest()
    code, out, _err = run("tokens", "list", "--db", db, "--lang", "en")
    assert code == 0 and token_id in out and "approver" in out and secret not in out
    code, out, _err = run("tokens", "revoke", token_id, "--db", db)
    assert code == 0 and f"Token {token_id} ('Sekretariat TPK', approver)" in out
    code, _out, err = run("tokens", "revoke", token_id, "--db", db, "--lang", "en")
    assert code == 2 and "was already revoked" in err


def test_an_employee_token_needs_a_valid_nip(db: str) -> None:
    code, _out, err = run("tokens", "create", "Refki", "--role", "employee", "--db", db, "--lang", "en")
    assert code == 2 and "token: nip: an employee token needs the employee's NIP (--nip)" in err
    code, _out, err = run(
        "tokens", "create", "Refki", "--role", "employee", "--nip", "1991 0418", "--db", db, "--lang", "en"
    )
    assert code == 2 and "token: nip:" in err
    code, out, _err = run("tokens", "create", "Refki", "--role", "employee", "--nip", "199104182016011879", "--db", db)
    assert code == 0 and out.startswith("smb_")


def test_an_unknown_role_is_a_usage_error(db: str) -> None:
    code, _out, err = run("tokens", "create", "X", "--role", "admin", "--db", db, "--lang", "en")
    assert code == 2 and "'admin' is not one of" in err


def test_an_unknown_token_is_named(db: str) -> None:
    code, _out, err = run("tokens", "revoke", "tok_000", "--db", db, "--lang", "en")
    assert code == 2 and "no token with id tok_000" in err
    code, _out, err = run("tokens", "revoke", "tok_000", "--db", db)
    assert code == 2 and "tidak ada token dengan id tok_000" in err


def test_an_unreachable_database_is_reported_without_a_traceback(tmp_path: Path) -> None:
    code, _out, err = run("audit", "verify", "--db", "postgresql+psycopg://nobody@127.0.0.1:1/none", "--lang", "en")
    assert code == 2 and "cannot open the records database postgresql+psycopg://nobody@127.0.0.1:1/none" in err
    assert "Traceback" not in err
    code, _out, err = run("audit", "verify", "--db", "nosuchdriver://x", "--lang", "en")
    assert code == 2 and "Traceback" not in err


def test_the_database_comes_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SEIMBANG_DB", str(tmp_path / "dari-env.db"))
    code, _out, _err = run("tokens", "create", "Budi", "--role", "viewer")
    assert code == 0 and (tmp_path / "dari-env.db").is_file()
    code, out, _err = run("audit", "verify")
    assert code == 0 and "1" in out


def test_an_empty_database_verifies_and_lists_no_tokens(db: str) -> None:
    code, out, _err = run("audit", "verify", "--db", db, "--lang", "en")
    assert code == 0 and "Audit trail intact: 0 entries" in out
    code, out, _err = run("tokens", "list", "--db", db, "--lang", "en")
    assert code == 0 and "No tokens yet" in out


REPO = Path(__file__).resolve().parents[1]


def test_the_workflow_from_the_command_line(db: str, tmp_path: Path) -> None:
    """Activate the shipped rules, draft from a plan file, refuse an incomplete approval, reject, replay."""
    code, out, _err = run(
        "records", "activate-rules", str(REPO / "rules"), "--note", "paket 2026.1", "--db", db, "--lang", "en"
    )
    assert code == 0 and "Rule set 1 is active." in out and "nasional 2026.1" in out and ".test" not in out
    plan = tmp_path / "plan.yaml"
    plan.write_text("moves:\n  - {nip: '199104182016011879', to: LOKET-DUKCAPIL.OPERATOR-DUKCAPIL}\n", encoding="utf-8")
    dataset = str(REPO / "datasets/sawahlunto")
    code, out, _err = run(
        "records", "draft", "Operator Dukcapil", dataset, "--plan", str(plan), "--db", db, "--lang", "en"
    )
    assert code == 0, out
    assert "Proposal 1 'Operator Dukcapil': draft, version 1" in out
    assert "199104182016011879: SETDA.PENGADMIN-UMUM -> LOKET-DUKCAPIL.OPERATOR-DUKCAPIL: eligible" in out
    code, _out, err = run("records", "decide", "1", "--reject", "--reason", "x", "--db", db, "--lang", "en")
    assert code == 2 and "proposal 1 is draft; this needs it to be submitted" in err
    assert run("records", "submit", "1", "--db", db)[0] == 0
    code, _out, err = run(
        "records", "decide", "1", "--approve", "--reason", "ok", "--tmt", "2027-13-01", "--db", db, "--lang", "en"
    )
    assert code == 2
    assert (
        "decision: sk_number: an approval needs the number of the SK" in err
        and "decision: tmt: '2027-13-01' is not a date" in err
    )
    code, out, _err = run(
        "records", "decide", "1", "--reject", "--reason", "Formasi belum ditetapkan", "--db", db, "--lang", "en"
    )
    assert code == 0 and "Decision 1 recorded: proposal 1 rejected." in out
    code, out, _err = run("records", "list", "--db", db, "--lang", "en")
    assert code == 0 and "rejected" in out and "Operator Dukcapil" in out
    code, out, _err = run("records", "show", "1", "--db", db, "--lang", "en")
    assert "decision 1: rejected (cli:" in out and "Formasi belum ditetapkan" in out
    code, out, _err = run("replay", "1", "--db", db, "--lang", "en")
    assert code == 0, out
    assert "simulation: none recorded with this decision" in out and "same (eligible)" in out
    code, out, _err = run("audit", "verify", "--db", db, "--lang", "en")
    assert code == 0 and "Audit trail intact: 8 entries" in out


def test_a_malformed_move_is_named(db: str) -> None:
    code, _out, err = run(
        "records",
        "draft",
        "X",
        str(REPO / "datasets/sawahlunto"),
        "--move",
        "199104182016011879",
        "--db",
        db,
        "--lang",
        "en",
    )
    assert code == 2 and "--move: 1: expected NIP=POSITION, not '199104182016011879'" in err


def test_drafting_without_an_active_rule_set_says_what_to_do(db: str) -> None:
    move = "199104182016011879=LOKET-DUKCAPIL.OPERATOR-DUKCAPIL"
    code, _out, err = run(
        "records", "draft", "X", str(REPO / "datasets/sawahlunto"), "--move", move, "--db", db, "--lang", "en"
    )
    assert code == 2 and "no rule set is active" in err
