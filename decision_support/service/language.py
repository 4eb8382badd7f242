"""The language of a request: ``Accept-Language`` (RFC 9110 quality values), Indonesian by default."""

from __future__ import annotations

from .. import api


def negotiate(header: str | None) -> str:
    """The supported language the client prefers most; Indonesian when it names none we speak."""
    best, best_q = "id", -1.0
    for position, part in enumerate((header or "").split(",")):
        tag, _sep, params = part.strip().partition(";")
        code = tag.strip().lower().split("-")[0]
        if code not in api.LANGUAGES:
            continue
        quality = _quality(params)
        # Equal weights: the first listed wins (positions only break ties).
        if quality > best_q or (quality == best_q and position == 0):
            best, best_q = code, quality
    return best if best_q > 0 else "id"


def _quality(params: str) -> float:
    for param in params.split(";"):
        name, _sep, value = param.strip().partition("=")
        if name.strip().lower() == "q":
            try:
                return max(0.0, min(1.0, float(value)))
            except ValueError:
                return 0.0
    return 1.0
