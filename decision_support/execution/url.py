"""``--executor`` text -> an :class:`~.base.Executor`.

- ``local`` (the default): a pool of local worker processes, ``workers`` of them (default: the CPUs this process
  may use); with one worker, the jobs run in this process.
- ``serial``: in this process, one job after another.
- ``dask://HOST:PORT``: the workers of the Dask scheduler at HOST:PORT (PORT defaults to 8786, Dask's own).
"""

from __future__ import annotations

import os
from typing import NoReturn
from urllib.parse import urlsplit

from ..errors import InputError, Location, Problem, did_you_mean
from ..i18n import _
from .base import Executor, ExecutorUnavailable, Setup
from .cluster import DASK_TIMEOUT, DaskExecutor
from .local import ProcessExecutor, SerialExecutor

SCHEMES = ("local", "serial", "dask")
DASK_PORT = 8786
#: Where a bad ``--executor`` is reported.
OPTION = "--executor"


class ExecutorURLError(InputError):
    """The ``--executor`` text is not an executor URL (exit 2)."""


def cpu_workers() -> int:
    """The CPUs this process may use."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def executor_from_url(
    text: str | None,
    *,
    workers: int | None = None,
    setup: Setup | None = None,
    timeout: float = DASK_TIMEOUT,
    start_method: str | None = None,
) -> Executor:
    """The executor ``text`` names (``None`` or ``""``: ``local``).

    ``workers`` sizes a local pool (default: the CPUs); a Dask cluster has the workers it has. Raises
    :class:`ExecutorURLError` for a malformed URL and :class:`ExecutorUnavailable` when the scheduler does not
    answer within ``timeout`` seconds or has no workers.
    """
    scheme, address = parse_url(text)
    if scheme == "serial" or (scheme == "local" and (workers or cpu_workers()) <= 1):
        return SerialExecutor()
    if scheme == "local":
        return ProcessExecutor(workers or cpu_workers(), setup=setup, start_method=start_method)
    return DaskExecutor(f"tcp://{address}", setup=setup, timeout=timeout, name=f"dask://{address}")


def parse_url(text: str | None) -> tuple[str, str]:
    """(scheme, HOST:PORT or "") of an executor URL; :class:`ExecutorURLError` when it is not one."""
    text = (text or "local").strip()
    if "://" not in text:
        if text in ("local", "serial"):
            return text, ""
        _refuse(text, _("expected 'local', 'serial' or 'dask://HOST:PORT'"), _scheme_hint(text))
    scheme, rest = text.split("://", 1)
    if scheme not in SCHEMES:
        hint = _scheme_hint(scheme)
        if scheme in ("tcp", "tls"):
            hint = _("Point seimbang at a Dask scheduler as 'dask://{address}'.").format(address=rest)
        _refuse(text, _("unknown executor '{scheme}://'").format(scheme=scheme), hint)
    if scheme != "dask":
        if rest.strip("/"):
            _refuse(
                text,
                _("'{scheme}' takes no address; use --workers for the number of processes").format(scheme=scheme),
                None,
            )
        return scheme, ""
    return "dask", _dask_address(text, rest)


def _dask_address(text: str, rest: str) -> str:
    try:
        parts = urlsplit("//" + rest)
        port = parts.port
    except ValueError:
        _refuse(text, _("the port must be a number from 1 to 65535"), None)
    host = parts.hostname
    if not host or parts.path.strip("/") or parts.query or parts.username:
        _refuse(text, _("expected dask://HOST:PORT, e.g. dask://127.0.0.1:8786"), None)
    port = port or DASK_PORT
    if port < 1:
        _refuse(text, _("the port must be a number from 1 to 65535"), None)
    shown = f"[{host}]" if ":" in host else host
    return f"{shown}:{port}"


def _scheme_hint(scheme: str) -> str | None:
    return did_you_mean(scheme, SCHEMES)


def _refuse(text: str, message: str, hint: str | None) -> NoReturn:
    problem = Problem(Location(OPTION), _("'{value}': {reason}").format(value=text, reason=message), hint=hint)
    raise ExecutorURLError([problem])


__all__ = ["DASK_TIMEOUT", "SCHEMES", "ExecutorURLError", "ExecutorUnavailable", "cpu_workers", "executor_from_url"]
