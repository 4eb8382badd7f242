"""Compact loading (decision_support/sources/compact.py): the items are the models, equal to the plain ones.

The loader keeps validated rows in a compact form (shared values, key-sharing dictionaries, employees built
in place). These tests check that the result is indistinguishable from the straightforward one:

- against pydantic's own ``model_validate`` of every row, read independently with ``csv.DictReader``;
- against the loader as it was before (``benchmarks/baseline_loading``), on the Sawahlunto example with
  every history table;
- and that a CSV file broken off in the middle (bytes that are not UTF-8) still reports only that.
"""

from __future__ import annotations

import csv
import pickle
import shutil
import sys
import types
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_loader_properties import employees, write_base, write_csv

from decision_support.errors import InputError
from decision_support.models import Employee, EmployeeRecord, Golongan
from decision_support.sources import load_dataset
from decision_support.sources.compact import SAMPLE, Compactor

ROOT = Path(__file__).resolve().parent.parent
HISTORIES = ("competencies", "trainings", "skp", "sanctions", "preferences", "participation")


def baseline_loader() -> Any:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import baseline_loading
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    return baseline_loading


def plain_employees(path: Path) -> list[Employee]:
    """Each row of employees.csv validated by pydantic alone, as an Employee without histories."""
    with path.open(encoding="utf-8", newline="") as fh:
        rows = [{k: v.strip() for k, v in row.items() if v.strip()} for row in csv.DictReader(fh)]
    records = [EmployeeRecord.model_validate(row) for row in rows]
    return [Employee.model_construct(**r.__dict__, **{h: () for h in HISTORIES}) for r in records]


def assert_same(compact: Any, plain: Any) -> None:
    assert type(compact) is type(plain)
    assert compact == plain
    assert compact.__dict__ == plain.__dict__
    assert compact.model_fields_set == plain.model_fields_set
    assert compact.model_dump() == plain.model_dump()
    assert compact.model_dump_json() == plain.model_dump_json()
    try:
        expected = hash(plain)
    except TypeError:  # a model holding a dict (a service's monthly factors) has no hash: nor has its copy
        with pytest.raises(TypeError):
            hash(compact)
    else:
        assert hash(compact) == expected
    assert pickle.loads(pickle.dumps(compact)) == plain
    assert type(compact).model_validate(compact.model_dump()) == plain


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=employees())
def test_loaded_employees_equal_pydantic_validation_of_each_row(tmp_path: Path, rows: list[dict[str, str]]) -> None:
    folder = tmp_path / "ds"
    shutil.rmtree(folder, ignore_errors=True)
    write_base(folder)
    write_csv(folder, rows)
    loaded = load_dataset(folder).employees
    plain = plain_employees(folder / "employees.csv")
    assert len(loaded) == len(plain) == len(rows)
    for compact, expected in zip(loaded, plain, strict=True):
        assert_same(compact, expected)


def test_a_copy_with_changes_leaves_the_shared_values_alone(tmp_path: Path) -> None:
    folder = tmp_path / "ds"
    write_base(folder)
    rows = [
        {"nip": f"19800101200501100{i}", "name": f"Nama {i}", "status": "PNS", "golongan": "III/a",
         "position": "OP", "tmt_position": "2010-01-01", "education_level": "S1", "sex": "", "bup": ""}
        for i in range(1, 4)
    ]  # fmt: skip
    write_csv(folder, rows)
    first, second, _third = load_dataset(folder).employees
    assert first.position is second.position and first.tmt_position is second.tmt_position  # shared
    changed = first.model_copy(update={"position": "KA", "golongan": Golongan.IV_A})
    assert (changed.position, changed.golongan) == ("KA", Golongan.IV_A)
    assert (first.position, first.golongan, second.position) == ("OP", Golongan.III_A, "OP")
    with pytest.raises(ValueError):
        first.position = "KA"  # type: ignore[misc]  # still frozen


def test_the_sawahlunto_example_loads_as_before(tmp_path: Path) -> None:
    """Every table, every history: the compact dataset equals the one the previous loader built.

    The previous loader predates the participation table, so both read the example without it.
    """
    example = tmp_path / "sawahlunto"
    shutil.copytree(ROOT / "datasets" / "sawahlunto", example)
    (example / "participation.csv").unlink()
    compact = load_dataset(example)
    plain = baseline_loader().load_dataset(example)
    assert compact == plain
    assert any(e.skp and e.trainings for e in compact.employees)  # histories were attached
    for a, b in zip(compact.employees, plain.employees, strict=True):
        # The previous loader never set the (later) participation field; the compact loader sets it, empty here.
        assert a.participation == b.participation == ()
        object.__setattr__(b, "__pydantic_fields_set__", b.model_fields_set | {"participation"})
        assert_same(a, b)
    for table in ("units", "positions", "workload", "services"):
        for a, b in zip(getattr(compact, table), getattr(plain, table), strict=True):
            assert_same(a, b)


def test_values_are_shared_only_where_that_pays(tmp_path: Path) -> None:
    """Few distinct positions: one object each; dates always shared; NIPs and names all differ: no pool."""
    bench = baseline_loader()  # makes benchmarks/ importable for the generator below
    del bench
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import loading_benchmark
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    count = SAMPLE + 500
    loading_benchmark.build(tmp_path / "ds", count)
    staff = load_dataset(tmp_path / "ds").employees
    assert len(staff) == count
    assert len({id(e.position) for e in staff}) == len({e.position for e in staff}) == 2
    for field in ("birth_date", "tmt_position"):
        assert len({id(getattr(e, field)) for e in staff}) == len({getattr(e, field) for e in staff})
    compactor = Compactor()
    for e in staff:
        compactor.compact("employees", e.model_copy(), Employee)
    pools = dict(compactor.pools["employees"])
    assert not pools["nip"].active and not pools["nip"].values
    assert not pools["name"].active
    assert pools["position"].active and len(pools["position"].values) == 2


def test_a_file_broken_off_midway_reports_only_that(tmp_path: Path) -> None:
    """Bytes that are not UTF-8 far into a streamed file: as if the file could not be read at all."""
    folder = tmp_path / "ds"
    write_base(folder)
    good = "19800101200501100{},Nama,PNS,III/a,OP,2010-01-01,S1,,\n"
    bad = "19800101200501100{},Nama,PNS,III/a,XX,2010-01-01,S1,,\n"  # an undefined position
    lines = ["nip,name,status,golongan,position,tmt_position,education_level,sex,bup\n"]
    lines += [(bad if i == 3 else good).format(i % 10) for i in range(2000)]
    path = folder / "employees.csv"
    path.write_bytes("".join(lines).encode() + b"1980,\xff\xfe,PNS\n")
    with pytest.raises(InputError) as caught:
        load_dataset(folder)
    (problem,) = caught.value.problems
    assert problem.location.line == 2002
    assert "UTF-8" in problem.render() or "utf-8" in problem.render().lower()


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text("0123456789", min_size=1, max_size=4), max_size=30), st.text("0123456789", max_size=4))
def test_sorted_keys_answer_membership_as_a_dictionary_of_first_rows(nips: list[str], probe: str) -> None:
    from decision_support.sources.references import LoadedRows, SortedKeys

    rows = LoadedRows("NIP {id}", "nip")
    for nip in nips:
        rows.items.append(types.SimpleNamespace(nip=nip))
    keys = SortedKeys(sorted(nips), rows)
    first_rows = dict.fromkeys(nips)
    assert (probe in keys) == (probe in first_rows)
    assert all(nip in keys for nip in nips) and 5 not in keys
    assert list(dict.fromkeys(keys)) == list(first_rows)  # row order, as the dictionary iterates
