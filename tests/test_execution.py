"""The executor boundary: ordered results, failures named by job, URLs, an unreachable scheduler, Dask workers.

The Dask tests use the session's ``dask.distributed.LocalCluster`` (2 worker processes; tests/conftest.py).
"""

from __future__ import annotations

import os
import socket

import pytest

from decision_support import api
from decision_support.i18n import _

distributed = pytest.importorskip("distributed")


# -- jobs (top-level functions: workers import them from this module) ---------------------------------------------
def square_plus(offset: int, item: int) -> int:
    return item * item + offset


def fail_on_three(_shared: None, item: int) -> int:
    if item == 3:
        raise ZeroDivisionError("three is not allowed")
    return item


def bad_input(_shared: None, item: int) -> int:
    raise api.InputError([api.Problem(api.Location("data.csv", 4, 2), "not a number", entity=f"row {item}")])


def translated(_shared: None, _item: int) -> str:
    return _("Replications")


def worker_plugins(_shared: None, _item: int) -> list[str]:
    return [info.name for info in api.default_plugins().info()]


def worker_pid(_shared: None, _item: int) -> int:
    return os.getpid()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# -- results in item order, whatever the executor -------------------------------------------------------------------
def test_every_executor_returns_results_in_item_order(dask_url) -> None:
    expected = [i * i + 10 for i in range(40)]
    with api.SerialExecutor() as serial:
        assert serial.map(square_plus, range(40), shared=10) == expected
    with api.executor_from_url("local", workers=2) as pool:
        assert isinstance(pool, api.ProcessExecutor)
        assert pool.map(square_plus, range(40), shared=10) == expected
        assert list(pool.imap(square_plus, range(5), shared=1)) == [1, 2, 5, 10, 17]  # the pool is reused
    with api.executor_from_url(dask_url) as dask:
        assert dask.workers == 2
        assert dask.map(square_plus, range(40), shared=10) == expected


def test_progress_counts_every_item_in_order() -> None:
    seen: list[tuple[int, int]] = []
    with api.executor_from_url("local", workers=2) as pool:
        pool.map(square_plus, range(7), shared=0, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(n, 7) for n in range(1, 8)]


def test_the_jobs_run_in_several_worker_processes(dask_url) -> None:
    with api.executor_from_url("local", workers=2) as pool:
        assert os.getpid() not in pool.map(worker_pid, range(8))
    with api.executor_from_url(dask_url) as dask:
        assert len(set(dask.map(worker_pid, range(20)))) == 2


# -- failures -----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("url", ["serial", "local", "dask"])
def test_a_failing_job_is_named_and_is_an_internal_error(url: str, dask_url) -> None:
    with (
        api.language("en"),
        api.executor_from_url(dask_url if url == "dask" else url, workers=2) as executor,
        pytest.raises(api.JobFailed) as caught,
    ):
        executor.map(fail_on_three, range(8), describe=lambda item: f"replication {item + 1}")
    assert caught.value.exit_code == api.ExitCode.INTERNAL_ERROR
    assert str(caught.value).startswith("replication 4 failed with an internal error")
    assert "ZeroDivisionError: three is not allowed" in str(caught.value)
    assert "Traceback" in caught.value.detail and "fail_on_three" in caught.value.detail


def test_a_user_error_in_a_job_keeps_its_message_and_exit_code() -> None:
    with (
        api.language("en"),
        api.executor_from_url("local", workers=2) as pool,
        pytest.raises(api.JobFailed) as caught,
    ):
        pool.map(bad_input, [5])
    assert caught.value.exit_code == api.ExitCode.INVALID_INPUT
    assert str(caught.value) == "job 1: data.csv:4:2: row 5: not a number"


def test_jobs_speak_the_callers_language(dask_url) -> None:
    for url in ("serial", "local", dask_url):
        with api.executor_from_url(url, workers=2) as executor:
            with api.language("en"):
                assert executor.map(translated, range(3)) == ["Replications"] * 3
            with api.language("id"):
                assert executor.map(translated, range(3)) == ["Replikasi"] * 3


def test_dask_workers_load_the_installed_plugins_before_their_first_job(dask_url) -> None:
    with api.executor_from_url(dask_url) as dask:
        names = dask.map(worker_plugins, range(4))
    assert all("simpeg" in found for found in names)  # the entry point of plugins/seimbang-simpeg


# -- URLs ---------------------------------------------------------------------------------------------------------
def test_local_with_one_worker_runs_in_this_process() -> None:
    assert isinstance(api.executor_from_url("local", workers=1), api.SerialExecutor)
    assert isinstance(api.executor_from_url("serial", workers=4), api.SerialExecutor)
    assert isinstance(api.executor_from_url(None, workers=3), api.ProcessExecutor)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (
            "dsak://127.0.0.1:8786",
            "--executor: 'dsak://127.0.0.1:8786': unknown executor 'dsak://'. Did you mean 'dask'?",
        ),
        ("lokal", "--executor: 'lokal': expected 'local', 'serial' or 'dask://HOST:PORT'. Did you mean 'local'?"),
        (
            "tcp://10.0.0.5:8786",
            "--executor: 'tcp://10.0.0.5:8786': unknown executor 'tcp://'. Point seimbang at a Dask scheduler as "
            "'dask://10.0.0.5:8786'.",
        ),
        ("dask://10.0.0.5:99999", "--executor: 'dask://10.0.0.5:99999': the port must be a number from 1 to 65535"),
        ("dask://10.0.0.5:port", "--executor: 'dask://10.0.0.5:port': the port must be a number from 1 to 65535"),
        ("dask://:8786", "--executor: 'dask://:8786': expected dask://HOST:PORT, e.g. dask://127.0.0.1:8786"),
        ("local://4", "--executor: 'local://4': 'local' takes no address; use --workers for the number of processes"),
    ],
)
def test_a_bad_url_is_an_input_error_naming_the_option(url: str, message: str) -> None:
    with api.language("en"), pytest.raises(api.ExecutorURLError) as caught:
        api.executor_from_url(url)
    assert caught.value.render() == message
    assert caught.value.exit_code == api.ExitCode.INVALID_INPUT


def test_the_dask_port_defaults_to_8786() -> None:
    from decision_support.execution import parse_url

    assert parse_url("dask://scheduler.bkd.local") == ("dask", "scheduler.bkd.local:8786")
    assert parse_url("dask://[::1]:9000") == ("dask", "[::1]:9000")


def test_an_unreachable_scheduler_is_reported_within_the_timeout() -> None:
    url = f"dask://127.0.0.1:{free_port()}"
    with api.language("en"), pytest.raises(api.ExecutorUnavailable) as caught:
        api.executor_from_url(url, timeout=1)
    assert str(caught.value).startswith(f"cannot reach the Dask scheduler at {url} within 1 s")
    assert "'dask scheduler'" in str(caught.value)
    assert caught.value.exit_code == api.ExitCode.INVALID_INPUT
