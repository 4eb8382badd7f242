"""Plugins through pluggy: sources, derived facts, publishing, entry points and `seimbang plugins`."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from decision_support import api
from decision_support.cli import main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "datasets" / "sawahlunto"
NEED = "PKM-TALAWI.BIDAN"


class DemoSource:
    """A source plugin for ``demo://NAME``: the example dataset, as a SIMPEG plugin would build it."""

    def __init__(self) -> None:
        self.requests: list[api.SourceRequest] = []

    @api.hookimpl
    def seimbang_source(self, request: api.SourceRequest) -> api.Dataset | None:
        if not request.location.startswith("demo://"):
            return None
        self.requests.append(request)
        return api.load_dataset(EXAMPLE)


class Recorder:
    """A publishing plugin that keeps what it was given."""

    def __init__(self) -> None:
        self.published: list[tuple[str, Any]] = []

    @api.hookimpl
    def seimbang_after_screening(self, report: api.ScreeningReport, dataset: api.Dataset) -> None:
        self.published.append(("screening", report))

    @api.hookimpl
    def seimbang_after_plan(self, plan: api.Plan, dataset: api.Dataset) -> None:
        self.published.append(("plan", plan))

    @api.hookimpl
    def seimbang_after_simulation(self, result: api.SimulationResult) -> None:
        self.published.append(("simulation", result))


def same_kecamatan(facts: Mapping[str, Any]) -> bool | None:
    if "origin.kecamatan" not in facts or "target.kecamatan" not in facts:
        return None
    return facts["origin.kecamatan"] == facts["target.kecamatan"]


class KecamatanFacts:
    @api.hookimpl
    def seimbang_derived_facts(self) -> list[api.DerivedFact]:
        return [
            api.DerivedFact(
                "move.same_kecamatan",
                "boolean",
                "the target unit is in the kecamatan of the current unit",
                ("origin.kecamatan", "target.kecamatan"),
                same_kecamatan,
            )
        ]


@pytest.fixture
def registered() -> Iterator[list[str]]:
    """Plugins registered in the process's default manager for one test, removed afterwards."""
    names: list[str] = []
    yield names
    for name in names:
        api.default_plugins().unregister(name)


def test_tests_run_with_autoload_off_and_only_the_builtin_source() -> None:
    rows = api.Plugins().info()
    assert [(r.name, r.origin, r.hooks) for r in rows] == [("dataset-folder", "built-in", ("seimbang_source",))]


def test_seimbang_plugins_lists_plugins_and_their_hooks(registered) -> None:
    registered.append(api.default_plugins().register(Recorder(), "recorder"))
    result = CliRunner().invoke(main, ["plugins", "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "2 plugins loaded:",
        "  dataset-folder  built-in",
        "                  hooks: seimbang_source",
        "  recorder        registered",
        "                  hooks: seimbang_after_screening, seimbang_after_plan, seimbang_after_simulation",
    ]


def test_entry_point_plugins_are_found_and_listed(tmp_path, monkeypatch) -> None:
    """A plugin installed by another distribution: found through the entry-point group `seimbang`."""
    (tmp_path / "seimbang_demo_plugin.py").write_text(
        textwrap.dedent(
            """
            from decision_support.api import hookimpl

            @hookimpl
            def seimbang_after_plan(plan, dataset):
                pass
            """
        )
    )
    info = tmp_path / "seimbang_demo_plugin-1.2.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: seimbang-demo-plugin\nVersion: 1.2\n")
    (info / "entry_points.txt").write_text("[seimbang]\ndemo = seimbang_demo_plugin\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert [r.name for r in api.Plugins(autoload=False).info()] == ["dataset-folder"]
    loaded = {r.name: r for r in api.Plugins(autoload=True).info()}
    assert loaded["demo"].origin == "entry point seimbang-demo-plugin 1.2"
    assert loaded["demo"].hooks == ("seimbang_after_plan",)


def test_the_folder_source_is_a_plugin_like_any_other() -> None:
    assert api.load_source(EXAMPLE).manifest.name == api.load_dataset(EXAMPLE).manifest.name
    bare = api.Plugins(autoload=False)
    bare.unregister("dataset-folder")
    with api.language("en"), pytest.raises(api.InputError, match="no installed plugin reads"):
        api.load_source(EXAMPLE, plugins=bare)


def test_a_source_plugin_feeds_every_dataset_command(registered, tmp_path) -> None:
    source = DemoSource()
    registered.append(api.default_plugins().register(source, "demo"))
    mapping = tmp_path / "demo.yaml"
    mapping.write_text("tables: {}\n")
    runner = CliRunner()
    check = runner.invoke(main, ["check", "--source", "demo://kota", "--mapping", str(mapping), "--lang", "en"])
    assert check.exit_code == 0, check.output
    assert "is valid" in check.output
    screen = runner.invoke(
        main, ["screen", "--source", "demo://kota", "--mapping", str(mapping), "--need", NEED, "--lang", "en"]
    )
    assert screen.exit_code == 0, screen.output
    assert NEED in screen.output
    assert [r.mapping for r in source.requests] == [mapping, mapping]


def test_source_usage_errors_and_unknown_locations(tmp_path) -> None:
    runner = CliRunner()
    both = runner.invoke(main, ["check", str(EXAMPLE), "--source", "demo://x", "--lang", "en"])
    assert both.exit_code == 2 and "one of the two" in both.output
    no_mapping = runner.invoke(main, ["check", "--source", "demo://x", "--lang", "en"])
    assert no_mapping.exit_code == 2 and "--source needs --mapping FILE" in no_mapping.output
    mapping = tmp_path / "m.yaml"
    mapping.write_text("{}\n")
    unknown = runner.invoke(main, ["check", "--source", "nosuch://x", "--mapping", str(mapping), "--lang", "en"])
    assert unknown.exit_code == 2
    assert "no installed plugin reads 'nosuch://x'" in unknown.output


def test_results_are_published_after_screening_and_planning(registered) -> None:
    recorder = Recorder()
    registered.append(api.default_plugins().register(recorder, "recorder"))
    data = api.load_dataset(EXAMPLE)
    report = api.analyse_workload(data)
    rules = api.check_rules()
    screening = api.screen_needs(data, report, rules, positions=[NEED])
    plan = api.make_plan(data, report, rules, api.PlanOptions(mode="voluntary"))
    assert recorder.published == [("screening", screening), ("plan", plan)]


def test_results_are_published_after_a_simulation() -> None:
    recorder = Recorder()
    host = api.Plugins(autoload=False)
    host.register(recorder, "recorder")
    scenario = api.load_scenario(api.shipped_path("scenarios") / "disdukcapil-mpp.yaml")
    result = api.run_scenario(scenario, replications=2, plugins=host)
    assert recorder.published == [("simulation", result)]


def test_a_derived_fact_from_a_plugin_is_used_by_rules_and_removed_with_it(tmp_path) -> None:
    pack = tmp_path / "kecamatan.yaml"
    pack.write_text(
        textwrap.dedent(
            """
            pack: kecamatan
            version: "1"
            title: Dekat rumah
            effective_from: 2024-01-01
            legal_basis: [kebijakan daerah]
            owner: BKPSDM
            rules:
              - id: tetap_sekecamatan
                kind: score
                title: Tetap di kecamatan yang sama
                legal_basis: kebijakan daerah
                when: {fact: move.same_kecamatan, op: eq, value: true}
                points: 7
            """
        )
    )
    with pytest.raises(api.InputError, match=r"move\.same_kecamatan"):
        api.check_rules([pack])
    host = api.Plugins(autoload=False)
    host.register(KecamatanFacts(), "kecamatan")
    try:
        data = api.load_dataset(EXAMPLE)
        report = api.analyse_workload(data)
        rules = api.check_rules([ROOT / "rules" / "nasional", pack])
        screening = api.screen_needs(data, report, rules, positions=[NEED], explain_top=1000, plugins=host)
        kecamatan = {u.id: u.kecamatan for u in data.units}
        unit_of = {p.id: p.unit for p in data.positions}
        employees = {e.nip: e for e in data.employees}
        target = kecamatan[unit_of[NEED]]
        eligible = screening.screenings[0].eligible
        assert eligible
        for candidate in eligible:
            origin = kecamatan[unit_of[employees[candidate.nip].position]]
            result = next(r for r in candidate.results if r.rule == "tetap_sekecamatan")
            expected = "pass" if origin is not None and target is not None and origin == target else None
            assert (result.outcome.value == "pass") == (expected == "pass"), candidate.nip
        assert {r.outcome.value for c in eligible for r in c.results if r.rule == "tetap_sekecamatan"} >= {"pass"}
    finally:
        host.close()
    with pytest.raises(api.InputError, match=r"move\.same_kecamatan"):
        api.check_rules([pack])


def test_a_plugin_fact_may_not_replace_a_builtin_one() -> None:
    class Clash:
        @api.hookimpl
        def seimbang_derived_facts(self) -> list[api.DerivedFact]:
            return [api.DerivedFact("move.same_opd", "boolean", "x", ("origin.opd",), lambda f: True)]

    host = api.Plugins(autoload=False)
    with pytest.raises(Exception, match="already exists"):
        host.register(Clash(), "clash")
    assert [r.name for r in host.info()] == ["dataset-folder"]
