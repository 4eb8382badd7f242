"""Rule packs kept in the database: uploaded versions (the YAML text as sent), and which set is active.

A stored file is never changed: a new text of a pack is a new version. Activation names the files screening
uses from then on; each activation is a new row, so what was active when is on record. Files are checked with
``api.check_rules`` on upload (a pack on its own) and on activation (the set together, with its calendar).
"""

from __future__ import annotations

import builtins
import dataclasses
import hashlib
import json
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from .. import api
from ..i18n import _
from . import audit
from .errors import NotFound, RecordsError
from .models import Activation, RuleFile, RuleFileText
from .schema import rule_activations, rule_files
from .store import Database, new_id

CALENDAR = "calendar.yaml"
TEST_SUFFIX = ".test.yaml"


def _file_name(file: RuleFileText) -> str:
    """The name a stored file is written under for loading: the calendar keeps its name, packs get a unique one."""
    return CALENDAR if file.kind == "calendar" else f"{file.pack}-{file.version}-{file.id}.yaml"


@contextmanager
def materialised(files: Sequence[RuleFileText]) -> Iterator[Path]:
    """The files written, byte for byte, into a fresh folder (removed afterwards)."""
    with tempfile.TemporaryDirectory(prefix="seimbang-rules-") as folder:
        for file in files:
            (Path(folder) / _file_name(file)).write_bytes(file.text.encode("utf-8"))
        yield Path(folder)


def load_ruleset(files: Sequence[RuleFileText]) -> api.RuleSet:
    """The stored files checked and loaded as one rule set; problems name the stored file names."""
    with materialised(files) as folder:
        names = {_file_name(f): f"{f.filename} (#{f.id})" for f in files}
        return _renamed_errors(lambda: api.check_rules([folder]), folder, names)


def _renamed_errors(run: Any, folder: Path, names: dict[str, str]) -> Any:
    """Run ``run()``; in its problems, show the uploaded file's name instead of the temporary one."""
    try:
        return run()
    except api.InputError as exc:
        problems = [dataclasses.replace(p, location=_relocated(p.location, folder, names)) for p in exc.problems]
        raise api.InputError(problems, exc.consequences) from None


def _relocated(location: api.Location, folder: Path, names: dict[str, str]) -> api.Location:
    path = location.path
    for written, shown in names.items():
        path = path.replace(str(folder / written), shown)
    return dataclasses.replace(location, path=path.replace(str(folder), "rules"))


def _info(row: Any) -> RuleFile:
    return RuleFile(
        id=row.id,
        kind=row.kind,
        filename=row.filename,
        pack=row.pack,
        version=row.version,
        sha256=row.sha256,
        uploaded_at=row.uploaded_at,
        uploaded_by=row.uploaded_by,
    )


def _text(row: Any) -> RuleFileText:
    return RuleFileText(**_info(row).model_dump(), text=row.text)


class RulePacks:
    """``store.rules``: upload rule files, activate a set, read what is active."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def upload(self, filename: str, text: str, *, actor: str) -> RuleFile:
        """Store a rule pack (or ``calendar.yaml``) after checking it; the same text again returns the stored file.

        Raises ``api.InputError`` for a pack with problems, :class:`RecordsError` for a new text under a pack id
        and version already stored (versions are immutable: publish a new version).
        """
        name = Path(filename).name or "rules.yaml"
        if name.endswith(TEST_SUFFIX):
            raise RecordsError(
                _("{file}: rule tests are not stored; run 'seimbang rules test' before uploading a pack").format(
                    file=name
                )
            )
        kind = "calendar" if name == CALENDAR else "pack"
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        pack, version = self._checked(name, text, kind)
        with self._db.write() as conn:
            same = conn.execute(
                sa.select(rule_files).where(rule_files.c.sha256 == digest, rule_files.c.kind == kind)
            ).first()
            if same is not None:
                return _info(same)  # the same text uploaded again: nothing new to record
            if kind == "pack":
                self._refuse_changed_version(conn, pack, version, digest)
            values = {
                "kind": kind,
                "filename": name,
                "pack": pack,
                "version": version,
                "sha256": digest,
                "text": text,
                "uploaded_at": audit.now(),
                "uploaded_by": actor,
            }
            file_id = new_id(conn.execute(rule_files.insert().values(**values)))
            payload = {"kind": kind, "filename": name, "pack": pack, "version": version, "sha256": digest}
            audit.append(conn, actor, "rules.upload", "rule_file", file_id, payload)
        return RuleFile(**self.get(int(file_id)).model_dump(exclude={"text"}))

    def _checked(self, name: str, text: str, kind: str) -> tuple[str | None, str | None]:
        if kind == "calendar":
            # A calendar alone is no rule set; it is checked with its packs on activation.
            return None, None
        placeholder = RuleFileText(
            id=0,
            kind="pack",
            filename=name,
            pack="upload",
            version="0",
            sha256="",
            uploaded_at="",
            uploaded_by="",
            text=text,
        )
        ruleset = load_ruleset([placeholder])
        if len(ruleset.packs) != 1:
            raise RecordsError(_("{file}: expected exactly one rule pack").format(file=name))
        pack = ruleset.packs[0].pack
        return pack.pack, pack.version

    @staticmethod
    def _refuse_changed_version(conn: sa.Connection, pack: str | None, version: str | None, digest: str) -> None:
        existing = conn.execute(
            sa.select(rule_files).where(rule_files.c.pack == pack, rule_files.c.version == version)
        ).first()
        if existing is not None and existing.sha256 != digest:
            raise RecordsError(
                _(
                    "rule pack {pack} version {version} is already stored (#{id}, SHA-256 {sha}) with another text; "
                    "a published version never changes: give the new text a new version"
                ).format(pack=pack, version=version, id=existing.id, sha=existing.sha256[:12])
            )

    def get(self, file_id: int) -> RuleFileText:
        with self._db.read() as conn:
            row = conn.execute(sa.select(rule_files).where(rule_files.c.id == file_id)).first()
        if row is None:
            raise NotFound("rule file", file_id)
        return _text(row)

    def files(self, ids: Sequence[int]) -> builtins.list[RuleFileText]:
        return [self.get(i) for i in ids]

    def list(self) -> builtins.list[RuleFile]:
        with self._db.read() as conn:
            return [_info(r) for r in conn.execute(sa.select(rule_files).order_by(rule_files.c.id))]

    def activate(self, file_ids: Sequence[int], *, actor: str, note: str = "") -> Activation:
        """Make these stored files the rule set screening uses, after checking them together."""
        ids = sorted(set(file_ids))
        if not ids:
            raise RecordsError(_("name at least one rule file to activate"))
        files = self.files(ids)
        if not any(f.kind == "pack" for f in files):
            raise RecordsError(_("the files to activate hold no rule pack"))
        if sum(f.kind == "calendar" for f in files) > 1:
            raise RecordsError(_("activate at most one election calendar"))
        load_ruleset(files)
        with self._db.write() as conn:
            values = {"file_ids": json.dumps(ids), "note": note, "activated_at": audit.now(), "activated_by": actor}
            activation_id = new_id(conn.execute(rule_activations.insert().values(**values)))
            payload = {
                "files": [
                    {"id": f.id, "kind": f.kind, "pack": f.pack, "version": f.version, "sha256": f.sha256}
                    for f in files
                ],
                "note": note,
            }
            audit.append(conn, actor, "rules.activate", "rule_activation", activation_id, payload)
        active = self.active()
        assert active is not None
        return active

    def active(self) -> Activation | None:
        """The set activated last, or None when none was ever activated."""
        with self._db.read() as conn:
            row = conn.execute(sa.select(rule_activations).order_by(rule_activations.c.id.desc()).limit(1)).first()
        if row is None:
            return None
        files = tuple(RuleFile(**f.model_dump(exclude={"text"})) for f in self.files(json.loads(row.file_ids)))
        return Activation(
            id=row.id, files=files, note=row.note, activated_at=row.activated_at, activated_by=row.activated_by
        )

    def active_ruleset(self) -> tuple[api.RuleSet, builtins.list[RuleFileText]]:
        """The active set loaded for screening, with its files; :class:`RecordsError` when none is active."""
        active = self.active()
        if active is None:
            raise RecordsError(_("no rule set is active: a policy officer uploads rule packs and activates them first"))
        files = self.files([f.id for f in active.files])
        return load_ruleset(files), files
