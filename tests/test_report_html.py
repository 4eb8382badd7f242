"""The simulation HTML report as a planner sees it: structure, words and numbers, and its layout in a real browser.

The shipped scenarios (few replications: the numbers do not matter, the page does) and an edge case built from
a real run (long unit names, missing intervals, a check that could not be judged, 40 checks) are rendered in
Indonesian and English. The structural tests read the HTML; the browser tests lay it out in headless Chromium
(Debian's ``chromium`` and ``chromium-driver``, installed by ``scripts/install-browser.sh``) and measure every
text box: no text may overlap other text or be clipped. Without the browser these tests skip with the reason,
except in CI (``CI=true``), where a missing browser is a failure. Screenshots go to pytest's tmp dir only.
"""

from __future__ import annotations

import base64
import math
import os
import re
from collections.abc import Iterator
from dataclasses import replace
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from decision_support import api
from decision_support.i18n import set_language
from decision_support.report.formatting import number
from decision_support.report.simulation_metrics import METRICS
from decision_support.simulation import Check, Estimate, SimulationResult
from decision_support.simulation.results import FEW_REPLICATIONS, UNDETERMINED

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))
LAYOUT_JS = (Path(__file__).parent / "report_layout.js").read_text(encoding="utf-8")
CHROMIUM = Path(os.environ.get("SEIMBANG_CHROMIUM", "/usr/bin/chromium"))
CHROMEDRIVER = Path(os.environ.get("SEIMBANG_CHROMEDRIVER", "/usr/bin/chromedriver"))
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
    "--window-size=1280,1000",
)
LONG_NAME = "TIC (Tourist Information Center (Informasi Pariwisata dan Pelayanan Terpadu Kota Sawahlunto))"
MINI_SCENARIO = """\
schema_version: 1
name: Satu analis ke loket KTP
dataset: {mini}
proposal:
  moves:
    - {{nip: "198203142006042002", to: PENGADMIN-KTP, note: dari DISDIK}}
horizon: {{start: 2025-07-07, days: 3}}
replications: 2
seed: 3
criteria:
  - {{kind: service_level_drop, max_points: 5}}
  - {{kind: max_wait, minutes: 60}}
"""
NUMBER = {"id": re.compile(r"^-?\d{1,3}(\.\d{3})*(,\d+)?$"), "en": re.compile(r"^-?\d{1,3}(,\d{3})*(\.\d+)?$")}
CANNOT_JUDGE = {"id": "tidak dapat dinilai", "en": "cannot be judged"}


# --- the reports ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, SimulationResult]:
    """Each shipped scenario run once (2 replications), and the edge case."""
    found = {path.stem: api.run_scenario(api.load_scenario(path), replications=2) for path in SCENARIOS}
    folder = tmp_path_factory.mktemp("mini")
    scenario = folder / "mini.yaml"
    scenario.write_text(MINI_SCENARIO.format(mini=ROOT / "tests" / "data" / "mini"), encoding="utf-8")
    found["edge"] = edge_case(api.run_scenario(api.load_scenario(scenario)))
    return found


def edge_case(result: SimulationResult) -> SimulationResult:
    """A real result made hard to draw: a very long unit name, a unit without intervals, a value that is -0,
    a queue profile with gaps, a check that could not be judged, and 40 checks (as a plan of many moves has)."""
    first, *others = result.units
    units = (replace(first, name=LONG_NAME), *others)
    undefined = Estimate(math.nan, math.nan, math.nan, 0)
    one = Estimate(12.5, math.nan, math.nan, 1)
    metrics = dict(result.metrics)
    for key, comparison in result.metrics.items():
        scope, entity, metric = key
        if scope == "unit" and entity == first.id:
            metrics[key] = replace(comparison, proposal=undefined)
        elif scope == "unit" and others and entity == others[0].id and metric == "wait_mean":
            metrics[key] = replace(comparison, difference=Estimate(3.0, math.nan, math.nan, 1))
        elif scope == "unit" and others and entity == others[0].id:
            metrics[key] = replace(comparison, baseline=one, difference=Estimate(-1e-4, -2e-4, 0.0, 2))
        elif scope == "slot" and entity.endswith(":30"):  # the queue profile with gaps
            metrics[key] = replace(comparison, proposal=undefined)
    unjudged = Check("max_wait", first.id, "wait_mean", False, math.nan, 60.0, UNDETERMINED, FEW_REPLICATIONS, 1)
    tiny = Check("max_backlog_increase", others[0].id if others else "", "backlog_hours", True, -1e-4, 2.0)
    checks = (unjudged, tiny, *result.verdict.checks * 20)[:40]
    verdict = replace(result.verdict, feasible=False, checks=checks)
    names = {**result.unit_names, first.id: LONG_NAME}
    return replace(result, units=units, metrics=metrics, verdict=verdict, unit_names=names)


@pytest.fixture(scope="module")
def pages(results: dict[str, SimulationResult], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """``{stem}.{lang}`` -> the written HTML file."""
    folder = tmp_path_factory.mktemp("reports")
    written = {}
    try:
        for lang in ("id", "en"):
            set_language(lang)
            for stem, result in results.items():
                path = folder / f"{stem}.{lang}.html"
                path.write_text(api.render_simulation_html(result), encoding="utf-8")
                written[f"{stem}.{lang}"] = path
    finally:
        set_language(None)
    return written


PAGE_IDS = [f"{p.stem}.{lang}" for p in SCENARIOS for lang in ("id", "en")] + ["edge.id", "edge.en"]


class Outline(HTMLParser):
    """The page's tags in order, the text of each heading, and the text of the whole page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.headings: list[str] = []
        self.text: list[str] = []
        self._in: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag + "".join(f".{v}" for k, v in attrs if k == "class" and v))
        self._in.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self._in and self._in[-1] == tag:
            self._in.pop()

    def handle_data(self, data: str) -> None:
        if self._in and self._in[-1] in ("h2",):
            self.headings.append(data)
        if not (self._in and self._in[-1] in ("style", "title")):
            self.text.append(data)


def outline(path: Path) -> Outline:
    parser = Outline()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


# --- structure, words and numbers (no browser) ---------------------------------------------------------------


@pytest.mark.parametrize("page", PAGE_IDS)
def test_verdict_first_then_charts_then_folded_detail(pages: dict[str, Path], page: str) -> None:
    tags = outline(pages[page]).tags
    verdict = next(i for i, t in enumerate(tags) if t.startswith("div.verdict"))
    first_chart = next(i for i, t in enumerate(tags) if t.startswith("svg"))
    assert verdict < first_chart, "the verdict comes before the charts"
    assert [t for t in tags[:first_chart] if t.startswith("table")] in ([], ["table.criteria"])
    headings = outline(pages[page]).headings
    assert headings[0] in ("Putusan", "Verdict") and headings[-2] in ("Rincian", "Details"), headings
    detail = len(tags) - tags[::-1].index("h2") - 1  # the last h2 is "About this run"; detail comes before it
    assert tags[first_chart:detail].count("details") >= 3, "moves, units and employees are folded below the charts"


@pytest.mark.parametrize("page", PAGE_IDS)
def test_self_contained_offline(pages: dict[str, Path], page: str) -> None:
    html = pages[page].read_text(encoding="utf-8")
    assert "<script" not in html
    assert re.findall(r"(?:https?:)?//[\w.-]+", html.replace("http://www.w3.org/2000/svg", "")) == []
    assert "<?xml" not in html and "<!DOCTYPE svg" not in html


@pytest.mark.parametrize("page", PAGE_IDS)
def test_no_internal_keys_no_negative_zero_no_cut_names(pages: dict[str, Path], page: str) -> None:
    text = " ".join(outline(pages[page]).text)
    keys = [k for k in METRICS if ("_" in k and k in text) or f"({k})" in text]
    assert keys == [], f"internal KPI keys in the text a reader sees: {keys}"
    assert re.findall(r"-0[,.]0*(?!\d*[1-9])\b", text) == []
    assert "…" not in text and "..." not in text


def test_the_edge_case_says_what_cannot_be_judged(pages: dict[str, Path]) -> None:
    for lang in ("id", "en"):
        html = pages[f"edge.{lang}"].read_text(encoding="utf-8")
        assert 'class="verdict unknown"' in html
        text = " ".join(outline(pages[f"edge.{lang}"]).text)
        assert CANNOT_JUDGE[lang] in text
        assert f">{CANNOT_JUDGE[lang]}</text>" in html, "a bar without a value says so in the chart"
        assert f"<td class=n>{CANNOT_JUDGE[lang]}</td>" in html, "a difference without an interval says so"
        assert LONG_NAME in text  # in full in the check and the tables; wrapped, not cut, in the charts
        assert "NaN" not in text and "nan" not in text.split()


def test_number_format_follows_the_language() -> None:
    try:
        set_language("id")
        assert (number(1250.5, 1), number(-0.001, 2), number(-0.004, 2)) == ("1.250,5", "0,00", "0,00")
        set_language("en")
        assert (number(1250.5, 1), number(-0.001, 2), number(-0.006, 2)) == ("1,250.5", "0.00", "-0.01")
    finally:
        set_language(None)


def test_charts_are_byte_stable(results: dict[str, SimulationResult]) -> None:
    from decision_support.report.simulation_html import render_html

    first = SCENARIOS[0].stem
    assert render_html(results[first]) == render_html(results[first])


# --- the layout in a browser ---------------------------------------------------------------------------------


def require_browser(chromium: Path, driver: Path) -> None:
    """Skip with the reason when the browser is missing; in CI fail instead, so the layout is never untested."""
    missing = [str(p) for p in (chromium, driver) if not p.exists()]
    if missing:
        reason = f"no headless browser ({', '.join(missing)} missing): run scripts/install-browser.sh as root"
        if os.environ.get("CI") == "true":
            pytest.fail(reason + " (in CI the layout test must run)")
        pytest.skip(reason)


def test_a_missing_browser_skips_locally_and_fails_in_ci(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    absent = tmp_path / "chromium"
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="in CI the layout test must run"):
        require_browser(absent, CHROMEDRIVER)
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception, match=f"{absent} missing"):
        require_browser(absent, CHROMEDRIVER)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    require_browser(CHROMIUM, CHROMEDRIVER)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(executable_path=str(CHROMEDRIVER)))
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="module")
def layouts(browser: Any, pages: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Each page laid out once: its measurements, and a full-page screenshot in pytest's tmp dir."""
    shots = tmp_path_factory.mktemp("screenshots")
    measured = {}
    for name, path in pages.items():
        browser.get(path.as_uri())
        measured[name] = browser.execute_script(LAYOUT_JS)
        shot = browser.execute_cdp_cmd("Page.captureScreenshot", {"captureBeyondViewport": True, "format": "png"})
        (shots / f"{name}.png").write_bytes(base64.b64decode(shot["data"]))
    print(f"screenshots: {shots}")
    return measured


@pytest.mark.parametrize("page", PAGE_IDS)
def test_no_text_overlaps_or_is_clipped(layouts: dict[str, Any], page: str) -> None:
    assert layouts[page]["problems"] == []


@pytest.mark.parametrize("page", PAGE_IDS)
def test_charts_are_readable(layouts: dict[str, Any], page: str) -> None:
    layout = layouts[page]
    assert layout["charts"] >= 1
    texts = layout["svgText"]
    small = [(t["text"], round(t["size"], 1)) for t in texts if t["size"] < 10]
    assert small == [], "chart text smaller than 10 px"
    for chart in range(layout["charts"]):
        for axis in ("xtick", "ytick"):
            ticks = [t["text"] for t in texts if t["svg"] == chart and t["tick"] == axis]
            numeric = [t for t in ticks if re.fullmatch(r"[-\d.,]+", t)]
            if numeric and len(numeric) == len(ticks):  # a value axis (not unit names or hours)
                assert len(numeric) >= 3, f"chart {chart}: {axis} has too few ticks: {numeric}"


@pytest.mark.parametrize("page", PAGE_IDS)
def test_every_chart_number_is_in_the_page_language(layouts: dict[str, Any], page: str) -> None:
    lang = page.rsplit(".", 1)[1]
    numbers = [t["text"] for t in layouts[page]["svgText"] if re.fullmatch(r"[-\d.,]+", t["text"])]
    assert numbers
    wrong = [n for n in numbers if not NUMBER[lang].match(n)]
    assert wrong == []
    if lang == "id":
        assert any("," in n for n in numbers), "an Indonesian page shows decimal commas"


@pytest.mark.parametrize("page", PAGE_IDS)
def test_a_chart_is_on_the_first_screens(layouts: dict[str, Any], page: str) -> None:
    assert layouts[page]["firstChart"] < 1100, "the verdict summary must not push the charts off the first screens"


BROKEN_PAGE = """<!DOCTYPE html><html><body style="margin:0">
<svg width="400" height="100" viewBox="0 0 200 50">
<text x="10" y="20" font-size="6">Kondisi awal</text><text x="20" y="22" font-size="6">Rata-rata antrean</text>
<text x="170" y="45" font-size="6">terpotong di tepi</text><text x="10" y="45" font-size="4">kecil</text>
<g id="axes_1"><g id="LineCollection_1"><path d="M 60 40 L 120 40" stroke="#222"/></g>
<text x="90" y="42" font-size="6">57,3</text></g></svg>
<table><tr><td style="max-width:40px;white-space:nowrap">sel yang terlalu sempit</td></tr></table>
</body></html>"""


def test_the_layout_check_sees_overlap_clipping_and_small_text(browser: Any, tmp_path: Path) -> None:
    """Negative control: the measurements above would find a broken page broken."""
    page = tmp_path / "broken.html"
    page.write_text(BROKEN_PAGE, encoding="utf-8")
    browser.get(page.as_uri())
    layout = browser.execute_script(LAYOUT_JS)
    problems = layout["problems"]
    assert 'overlap: "Kondisi awal" and "Rata-rata antrean"' in problems
    assert 'clipped by its chart: "terpotong di tepi"' in problems
    assert any(p.startswith('line through text: "57,3"') for p in problems)
    assert any(p.startswith('content wider than its box: <td> "sel yang terlalu sempit"') for p in problems)
    sizes = {t["text"]: t["size"] for t in layout["svgText"]}
    assert sizes["kecil"] == pytest.approx(8.0) and sizes["Kondisi awal"] == pytest.approx(12.0)


# --- the pieces: tick labels, wrapped names, and the outline golden files -----------------------------------

GOLDEN = Path(__file__).parent / "report_golden"


@pytest.mark.parametrize(
    ("lang", "ticks", "labels"),
    [
        ("id", [0.0, 2.5, 5.0, 7.5], ["0,0", "2,5", "5,0", "7,5"]),
        ("id", [0.0, 1000.0, 2000.0], ["0", "1.000", "2.000"]),
        ("en", [0.0, 0.25, 0.5], ["0.00", "0.25", "0.50"]),
        ("en", [-0.0, 1500.0, 3000.0], ["0", "1,500", "3,000"]),
    ],
)
def test_tick_labels_use_the_language_and_the_decimals_the_step_needs(
    lang: str, ticks: list[float], labels: list[str]
) -> None:
    from decision_support.report.charts import LocaleFormatter

    formatter = LocaleFormatter()
    try:
        set_language(lang)
        formatter.set_locs(ticks)
        assert [formatter(t) for t in ticks] == labels
    finally:
        set_language(None)


@given(st.lists(st.text(alphabet=st.characters(categories=["L", "N", "P"]), min_size=1, max_size=40), min_size=1))
def test_wrapping_a_name_never_cuts_or_loses_a_word(words: list[str]) -> None:
    from decision_support.report.charts import LABEL_WIDTH, wrap

    wrapped = wrap(" ".join(words))
    assert wrapped.split() == " ".join(words).split()
    assert all(len(line) <= LABEL_WIDTH or " " not in line for line in wrapped.splitlines())


def page_outline(path: Path) -> str:
    """What a reviewer checks in the diff: headings, the verdict, the criteria table and the folded parts, in order."""
    html = path.read_text(encoding="utf-8")
    parts = r'<(h[123])>(.*?)</h[123]>|class="verdict (\w+)"[^>]*>(.*?)</div>|<summary>(.*?)</summary>|<table class="criteria">(.*?)</table>'
    lines = []
    for match in re.finditer(parts, html):
        heading, text, css, verdict, summary, criteria = match.groups()
        if heading:
            lines.append(f"{'  ' * (int(heading[1]) - 1)}{text}")
        elif verdict:
            lines.append(f"  [{css}] {verdict}")
        elif summary:
            lines.append(f"    > {summary}")
        else:
            for row in re.findall(r"<tr>(.*?)</tr>", criteria):
                lines.append("    | " + " | ".join(re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)))
    return unescape("\n".join(lines)) + "\n"


@pytest.mark.parametrize("page", PAGE_IDS)
def test_outline_matches_its_golden_file(pages: dict[str, Path], page: str, update_golden: bool) -> None:
    """Regenerate with ``pytest tests/test_report_html.py --update-golden`` (the simulation numbers may move the
    verdict or the counts of checks) and read the diff."""
    golden = GOLDEN / f"{page}.txt"
    actual = page_outline(pages[page])
    if update_golden:
        GOLDEN.mkdir(exist_ok=True)
        golden.write_text(actual, encoding="utf-8")
    assert golden.exists(), f"{golden} missing: run pytest {__file__} --update-golden"
    assert actual == golden.read_text(encoding="utf-8")


def test_chart_data_is_the_result_in_the_unit_shown(results: dict[str, SimulationResult]) -> None:
    """Bars carry the result's numbers x 100 for shares, ``None`` where the simulation has no value."""
    from decision_support.report.simulation_data import bar_rows, profile_series

    edge = results["edge"]
    first, loket = edge.units[0], edge.units[1]
    rows = {row.label: row for row in bar_rows(edge, "utilisation")}
    assert rows[f"{first.id} {LONG_NAME}"].proposal.mean is None
    util = edge.get("unit", loket.id, "utilisation")
    assert util is not None
    shown = rows[f"{loket.id} {loket.name}"].proposal
    assert (shown.mean, shown.low, shown.high) == pytest.approx(
        (util.proposal.mean * 100, util.proposal.low * 100, util.proposal.high * 100)
    )
    baseline, proposal = profile_series(edge, loket)
    half_hours = [e for slot, e in zip(loket.slots, proposal.estimates, strict=True) if slot.endswith(":30")]
    assert half_hours and all(e.mean is None for e in half_hours)
    assert any(e.mean is not None for e in baseline.estimates)
    assert profile_series(edge, first) == []  # a back office has no queue through the day
