"""Shared by the golden-file corpora (tests/corpus, tests/rules_corpus): one case per folder."""

from __future__ import annotations

from pathlib import Path

import pytest


def golden_cases(root: Path) -> list[object]:
    """A pytest param per case folder under ``root``; a folder with ``xfail.txt`` is a strict xfail (a known bug)."""
    params: list[object] = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        marks = []
        reason = folder / "xfail.txt"
        if reason.exists():
            marks.append(pytest.mark.xfail(strict=True, reason=reason.read_text(encoding="utf-8").strip()))
        params.append(pytest.param(folder, id=folder.name, marks=marks))
    return params
