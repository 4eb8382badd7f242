"""A plan knows its dataset: it records it, and a scenario refuses a plan made for another dataset (in one
message) or for this one before it changed (listing the moves the change affects)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from decision_support import api, cli
from decision_support.errors import ExitCode, InputError
from decision_support.i18n import current_language, set_language
from decision_support.planning.provenance import dataset_hash

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "docs" / "examples"


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    before = current_language()
    set_language("en")
    yield
    set_language(before)


@pytest.fixture(scope="module")
def planned(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with the contoh dataset, its rules and a plan made with ``seimbang plan``."""
    folder = tmp_path_factory.mktemp("rencana")
    shutil.copytree(EXAMPLES / "contoh", folder / "contoh")
    shutil.copytree(EXAMPLES / "aturan", folder / "aturan")
    result = CliRunner().invoke(
        cli.main, ["plan", str(folder / "contoh"), "--rules", str(folder / "aturan"), "-o", str(folder / "plan.yaml")]
    )
    assert result.exit_code == ExitCode.OK, result.output
    return folder


@pytest.fixture
def work(planned: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(planned, tmp_path / "w")
    monkeypatch.chdir(tmp_path / "w")
    return tmp_path / "w"


def scenario(folder: Path, dataset: str = "contoh") -> Path:
    text = (EXAMPLES / "skenario.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    data["dataset"] = dataset
    data["proposal"] = "plan.yaml"
    data.pop("back_office", None)
    path = folder / "skenario.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def plan_file(folder: Path) -> dict:
    return yaml.safe_load((folder / "plan.yaml").read_text(encoding="utf-8"))


def test_the_plan_records_its_dataset(work: Path) -> None:
    """Before the fix provenance.dataset was always null."""
    recorded = plan_file(work)["plan"]["provenance"]["dataset"]
    dataset = api.load_dataset(work / "contoh")
    assert recorded["name"] == "Contoh Sawahlunto (dokumentasi)" and recorded["as_of"] == "2025-07-01"
    assert recorded["sha256"] == dataset_hash(dataset)
    assert set(recorded["moves"]) == {m["nip"] for m in plan_file(work)["moves"]}
    assert api.load_scenario(scenario(work)).moves  # the same dataset: accepted


def test_a_plan_from_another_dataset_is_refused_in_one_message(work: Path) -> None:
    manifest = work / "contoh" / "dataset.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("name: Contoh", "name: Lain"), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        api.load_scenario(scenario(work))
    assert len(caught.value.problems) == 1
    message = caught.value.problems[0].message
    assert "Contoh Sawahlunto (dokumentasi)" in message and "Lain Sawahlunto" in message


def test_a_changed_dataset_is_refused_listing_the_moves_it_affects(work: Path) -> None:
    """The formasi of a move's target post is reduced (to its minimum staffing) after planning: that move is named."""
    move = plan_file(work)["moves"][0]
    positions = work / "contoh" / "positions.csv"
    lines = positions.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    for i, line in enumerate(lines):
        cells = line.split(",")
        if cells[0] == move["to"]:
            before = int(cells[header.index("formasi")])
            cells[header.index("formasi")] = cells[header.index("min_staff")]
            assert int(cells[header.index("formasi")]) < before
            lines[i] = ",".join(cells)
    positions.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        api.load_scenario(scenario(work))
    assert len(caught.value.problems) == 1
    message = caught.value.problems[0].message
    assert f"{move['nip']} -> {move['to']}" in message and "changed since this plan was made" in message
    details = plan_file(work)["plan"]["details"]
    untouched = [d["nip"] for d in details if move["to"] not in (d["origin"], d["to"])]
    assert all(nip not in message for nip in untouched)
    # The option to use it anyway, written into the plan file, where it stays on record.
    data = plan_file(work)
    data["plan"]["provenance"]["dataset"]["accept_changes"] = True
    (work / "plan.yaml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    assert api.load_scenario(scenario(work)).moves


def test_simulate_with_a_plan_from_another_dataset_prints_one_problem(work: Path) -> None:
    manifest = work / "contoh" / "dataset.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("name: Contoh", "name: Lain"), encoding="utf-8")
    result = CliRunner().invoke(cli.main, ["simulate", str(scenario(work)), "--lang", "en"])
    assert result.exit_code == ExitCode.INVALID_INPUT, result.output
    assert "1 problem in 1 file" in result.stderr
    assert "not for 'Lain Sawahlunto (dokumentasi)'" in result.stderr
