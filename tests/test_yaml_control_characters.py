"""A control character YAML does not allow is a located problem, not a crash (found by the service's
Schemathesis run: a rule pack upload with U+0082 in its text)."""

from __future__ import annotations

from pathlib import Path

import pytest

from decision_support import api


def test_a_control_character_is_located(tmp_path: Path) -> None:
    folder = tmp_path / "rules"
    folder.mkdir()
    (folder / "lokal.yaml").write_text("schema_version: 1\npack: lokal\nversion: 'x\u0082'\n", encoding="utf-8")
    with api.language("en"), pytest.raises(api.InputError) as caught:
        api.check_rules([folder])
    [problem] = caught.value.problems
    assert (Path(problem.location.path).name, problem.location.line, problem.location.column) == ("lokal.yaml", 3, 12)
    assert problem.message == "character U+0082 is not allowed in YAML"
