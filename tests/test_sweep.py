"""Scenario sweeps: the grid, byte-identical results on every executor, the combined report, located errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from decision_support import api, cli

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "scenarios" / "sweeps" / "operator-dukcapil-singkat.yaml"
MINI = ROOT / "tests" / "data" / "mini"

BASE = """\
schema_version: 1
name: Satu analis ke loket KTP
dataset: {mini}
proposal:
  moves:
    - {{nip: "198203142006042002", to: PENGADMIN-KTP}}
horizon: {{start: 2025-07-07, days: 3}}
demand: {{multiplier: 1.5}}
absence: {{sick: 0.05}}
replications: 3
seed: 3
criteria:
  - {{kind: service_level_drop, max_points: 5}}
  - {{kind: max_wait, minutes: 60}}
"""

SWEEP = """\
schema_version: 1
sweep:
  name: Analis KTP
  base: base.yaml
  demand_multipliers: [1.0, 2.0]
  variants:
    - name: dengan analis
    - name: dua orang
      proposal: {moves: [{nip: "198203142006042002", to: PENGADMIN-KTP}, {nip: "199001052015032001", to: PENGADMIN-KTP}]}
  staffing:
    - name: seperti sekarang
  replications: 2
"""


def write(folder: Path, sweep: str = SWEEP, base: str = BASE) -> Path:
    (folder / "base.yaml").write_text(base.format(mini=MINI), encoding="utf-8")
    path = folder / "sweep.yaml"
    path.write_text(sweep, encoding="utf-8")
    return path


def problems(path: Path) -> list[str]:
    with api.language("en"), pytest.raises(api.InputError) as caught:
        api.load_sweep(path)
    return [p.render(snippet=False) for p in sorted(caught.value.problems, key=lambda p: p.sort_key())]


# -- the same bytes on every executor -----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def shipped_serial() -> str:
    with api.SerialExecutor() as serial:
        return api.render_sweep(api.run_sweep(api.load_sweep(SHIPPED), executor=serial), fmt="json")


def test_the_shipped_sweep_gives_the_same_json_bytes_serially_on_a_process_pool_and_on_dask(
    shipped_serial: str, dask_url: str
) -> None:
    sweep = api.load_sweep(SHIPPED)
    with api.executor_from_url("local", workers=2) as pool:
        assert api.render_sweep(api.run_sweep(sweep, executor=pool), fmt="json") == shipped_serial
    with api.executor_from_url(dask_url) as dask:
        assert dask.workers == 2
        assert api.render_sweep(api.run_sweep(sweep, executor=dask), fmt="json") == shipped_serial


def test_the_shipped_sweep_covers_its_grid(shipped_serial: str) -> None:
    data = json.loads(shipped_serial)
    coordinates = [(p["variant"], p["staffing"], p["demand_multiplier"]) for p in data["points"]]
    assert coordinates == [
        (v, s, d)
        for v in ("tiga operator", "satu operator")
        for s in ("gerai MPP dua operator", "gerai MPP satu operator")
        for d in (1.0, 1.5)
    ]
    assert all(p["result"]["run"]["replications"] == 2 for p in data["points"])
    labels = {p["verdict"] for p in data["points"]}
    assert labels <= {"LAYAK", "TIDAK LAYAK", "TIDAK DAPAT DINILAI"}
    # The frontier, recomputed from the verdicts: the highest demand LAYAK at every level up to it.
    for line in data["frontier"]:
        verdicts = [
            (p["demand_multiplier"], p["verdict"])
            for p in data["points"]
            if p["variant"] == line["variant"] and p["staffing"] == line["staffing"]
        ]
        expected = None
        for demand, verdict in sorted(verdicts):
            if verdict != "LAYAK":
                break
            expected = demand
        assert line["highest_demand_layak"] == expected


# -- each grid point is the scenario it stands for ----------------------------------------------------------------
def test_each_grid_point_equals_the_scenario_written_out_by_hand(tmp_path: Path) -> None:
    sweep = api.load_sweep(write(tmp_path))
    with api.SerialExecutor() as serial:
        result = api.run_sweep(sweep, executor=serial)
    by_point = {(p.variant, p.demand): p.result for p in result.points}
    assert list(by_point) == [
        ("dengan analis", 1.0),
        ("dengan analis", 2.0),
        ("dua orang", 1.0),
        ("dua orang", 2.0),
    ]
    for variant, moves in (
        ("dengan analis", '[{nip: "198203142006042002", to: PENGADMIN-KTP}]'),
        (
            "dua orang",
            '[{nip: "198203142006042002", to: PENGADMIN-KTP}, {nip: "199001052015032001", to: PENGADMIN-KTP}]',
        ),
    ):
        for factor in (1.0, 2.0):
            text = BASE.format(mini=MINI).replace("multiplier: 1.5", f"multiplier: {1.5 * factor}")
            text = text.replace('\n    - {nip: "198203142006042002", to: PENGADMIN-KTP}', " " + moves)
            text = text.replace("replications: 3", "replications: 2")
            alone = tmp_path / f"alone-{variant}-{factor}.yaml"
            alone.write_text(text, encoding="utf-8")
            expected = api.run_scenario(api.load_scenario(alone), workers=1)
            got = json.loads(api.render_simulation(by_point[(variant, factor)], fmt="json"))
            want = json.loads(api.render_simulation(expected, fmt="json"))
            assert got.pop("run")["scenario_file"].endswith(f"sweep.yaml#{variant} | seperti sekarang | x{factor:g}")
            want.pop("run")
            assert got == want


def test_staffing_options_replace_the_rosters(tmp_path: Path) -> None:
    sweep_text = SWEEP.replace(
        "    - name: seperti sekarang\n",
        "    - name: seperti sekarang\n    - name: satu orang\n"
        "      rosters: [{unit: LOKET-KTP, position: PENGADMIN-KTP, count: 1}]\n",
    )
    sweep = api.load_sweep(write(tmp_path, sweep_text))
    rosters = {p.staffing: p.loaded.scenario.rosters for p in sweep.points}
    assert rosters["seperti sekarang"] == ()
    assert [(r.unit, r.position, r.count) for r in rosters["satu orang"]] == [("LOKET-KTP", "PENGADMIN-KTP", 1)]
    assert len(sweep.points) == 2 * 2 * 2


# -- located problems ---------------------------------------------------------------------------------------------
def test_problems_in_the_sweep_are_located_in_the_sweep_file(tmp_path: Path) -> None:
    text = (
        SWEEP.replace("[1.0, 2.0]", "[1.0, 80.0]")
        .replace('nip: "199001052015032001", to: PENGADMIN-KTP', 'nip: "198203142006042099", to: PENGADMIN-KTPP')
        .replace(
            "    - name: seperti sekarang\n",
            "    - name: seperti sekarang\n      rosters: [{unit: LOKET-KTX, position: PENGADMIN-KTP, count: 1}]\n",
        )
    )
    found = problems(write(tmp_path, text))
    path = str(tmp_path / "sweep.yaml")
    assert any(
        p.startswith(f"{path}:5:") and "sweep.demand_multipliers.1" in p and "the limit is 100" in p for p in found
    ), found
    assert any(p.startswith(f"{path}:9:") and "no employee with NIP 198203142006042099" in p for p in found), found
    assert any(
        p.startswith(f"{path}:9:") and "unknown position 'PENGADMIN-KTPP'" in p and "Did you mean 'PENGADMIN-KTP'?" in p
        for p in found
    ), found
    assert any(p.startswith(f"{path}:12:") and "unknown unit 'LOKET-KTX'" in p for p in found), found


def test_a_misspelt_key_a_repeated_name_and_a_missing_base_are_reported(tmp_path: Path) -> None:
    found = problems(write(tmp_path, SWEEP.replace("demand_multipliers", "demand_multiplier")))
    assert any("demand_multiplier" in p for p in found), found
    found = problems(write(tmp_path, SWEEP.replace("name: dua orang", "name: dengan analis")))
    assert any("repeated: dengan analis" in p for p in found), found
    found = problems(write(tmp_path, SWEEP.replace("base: base.yaml", "base: tidak-ada.yaml")))
    assert found == [
        f"{tmp_path / 'sweep.yaml'}:4:9: sweep.base: base scenario {tmp_path / 'tidak-ada.yaml'} not found"
    ]


# -- the command line ---------------------------------------------------------------------------------------------
def test_simulate_a_sweep_file_prints_the_verdicts_and_writes_the_combined_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli.simulate, [str(path), "--lang", "en", "-j", "1", "-o", "out", "--seed", "5"])
    assert result.exit_code in (0, 1), result.output
    assert "Sweep: Analis KTP" in result.stdout
    assert "4 grid points x 2 replications, seed 5" in result.stdout  # --seed overrides the base scenario's
    data = json.loads(Path("out/sweep.json").read_text(encoding="utf-8"))
    for point in data["points"]:
        row = f"{point['variant']:<13}  seperti sekarang  x{point['demand_multiplier']:g}"
        assert any(line.startswith(row) and point["verdict"] in line for line in result.stdout.splitlines()), row
    assert (result.exit_code == 0) == any(p["verdict"] == "LAYAK" for p in data["points"])
    html = Path("out/sweep.html").read_text(encoding="utf-8")
    assert html.count("<svg") == 1 and "Frontier" in html
    rows = Path("out/sweep.csv").read_text(encoding="utf-8").splitlines()
    assert rows[0].startswith("variant,staffing,demand_multiplier,verdict,") and len(rows) == 5


def test_a_bad_executor_url_and_a_bad_sweep_exit_2_without_a_traceback(tmp_path: Path) -> None:
    path = write(tmp_path, SWEEP.replace("base: base.yaml", "base: x.yaml"))
    result = CliRunner().invoke(cli.simulate, [str(path), "--lang", "en"])
    assert result.exit_code == 2 and "base scenario" in result.stderr and "Traceback" not in result.output
    good = write(tmp_path)
    result = CliRunner().invoke(cli.simulate, [str(good), "--lang", "en", "--executor", "dask:/10.0.0.1"])
    assert result.exit_code == 2 and "--executor: 'dask:/10.0.0.1'" in result.stderr
