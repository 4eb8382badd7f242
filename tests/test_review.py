"""The periodic review as the tim penilai kinerja receives it: periods, the period's demand, the meeting pack and
its print to A4 in headless Chromium, and the command's messages and exit codes.

One review of the Sawahlunto example (2026-S1, the tourism case study's calendar as template, two moves, two
replications) is run once per module; the numbers do not matter here, the pack does. Every expectation is
computed independently of the code under test: period dates from the calendar module, seasons from the dataset
file, needs from the workload report.
"""

from __future__ import annotations

import calendar
import itertools
import re
import subprocess
from dataclasses import replace
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from test_report_html import CHROMEDRIVER, CHROMIUM, CHROMIUM_FLAGS, require_browser

from decision_support import api, cli
from decision_support.review import period_demand

ROOT = Path(__file__).resolve().parents[1]
DATASET = ROOT / "datasets" / "sawahlunto"
TEMPLATE = ROOT / "scenarios" / "studi-kasus-pariwisata.yaml"
PREPARED = date(2026, 1, 5)
PART_TITLES = {
    "id": [
        "1. Kebutuhan pegawai",
        "2. Usulan mutasi dan penjelasan aturannya",
        "3. Permintaan layanan pada periode dan bukti simulasi",
        "4. Partisipasi pegawai yang bersangkutan",
        "5. Pemantauan mutasi sebelumnya",
    ],
    "en": [
        "1. Staffing needs",
        "2. Proposed moves and their rule explanations",
        "3. Demand in the period and simulation evidence",
        "4. Participation of the employees concerned",
        "5. Monitoring of past moves",
    ],
}
A4_POINTS = (595.28, 841.89)


# --- periods -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2027-S1", date(2027, 1, 1), date(2027, 6, 30)),
        ("2027-s2", date(2027, 7, 1), date(2027, 12, 31)),
        ("2027-Q3", date(2027, 7, 1), date(2027, 9, 30)),
        ("2028-02", date(2028, 2, 1), date(2028, 2, 29)),
    ],
)
def test_a_period_names_its_dates(text: str, start: date, end: date) -> None:
    period = api.parse_period(text)
    assert (period.start, period.end) == (start, end)
    assert period.label == text.upper()


@given(st.integers(2000, 2100), st.sampled_from([("S", 2, 6), ("Q", 4, 3), ("M", 12, 1)]))
def test_the_periods_of_a_kind_tile_the_year(year: int, kind: tuple[str, int, int]) -> None:
    letter, count, months = kind
    labels = [f"{year}-{letter}{i}" if letter != "M" else f"{year}-{i:02d}" for i in range(1, count + 1)]
    periods = [api.parse_period(label) for label in labels]
    assert periods[0].start == date(year, 1, 1) and periods[-1].end == date(year, 12, 31)
    for before, after in itertools.pairwise(periods):
        assert after.start == before.end + timedelta(days=1)
    for i, period in enumerate(periods):
        last_month = (i + 1) * months
        assert period.end.day == calendar.monthrange(year, last_month)[1]
        assert api.parse_period(period.label) == period


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("2027-S3", "a year has semesters 1 and 2"),
        ("2027-Q5", "a year has quarters 1 to 4"),
        ("2027-13", "months are 01 to 12"),
        ("2027S1", "'2027S1' is not a period"),
        ("semester 1", "'semester 1' is not a period"),
        ("1999-S1", "year 1999 is outside 2000-2100"),
    ],
)
def test_a_bad_period_is_refused_with_the_expected_form(text: str, why: str) -> None:
    result = CliRunner().invoke(cli.main, ["review", "--period", text, str(DATASET), "--lang", "en"])
    assert result.exit_code == 2
    assert result.output.startswith(
        f"--period: {why}" if why.startswith("'") or why.startswith("year") else "--period:"
    )
    assert why in result.output
    assert "Expected YYYY-S1 or YYYY-S2 (semester), YYYY-Q1 to YYYY-Q4 (quarter) or YYYY-MM (month)" in result.output
    assert "Traceback" not in result.output


# --- the period's demand -------------------------------------------------------------------------------------


def dataset_seasons(period: api.Period) -> set[tuple[str, date, float]]:
    """The seasons of the dataset file overlapping ``period``, read from the YAML directly."""
    services = yaml.safe_load((DATASET / "services.yaml").read_text(encoding="utf-8"))
    found = set()
    for service in services:
        for season in service.get("demand", {}).get("seasonal", []):
            start, end = date.fromisoformat(season["start"]), date.fromisoformat(season["end"])
            if start <= period.end and period.start <= end:
                found.add((season["label"], start, float(season["multiplier"])))
    return found


def test_the_demand_of_a_covered_period_starts_the_window_at_its_peak() -> None:
    loaded = api.load_scenario(TEMPLATE)
    period = api.parse_period("2026-S1")
    demand = period_demand(period, loaded.dataset, loaded.scenario, 14)
    assert demand.covered
    assert {(s.label, s.start, s.multiplier) for s in demand.seasons} == dataset_seasons(period)
    strongest = max(dataset_seasons(period), key=lambda s: s[2])
    assert demand.window_start == strongest[1] and demand.window_days == 14
    holidays = {h["date"] for h in yaml.safe_load(TEMPLATE.read_text(encoding="utf-8"))["calendar"]["holidays"]}
    assert {d for d, _ in demand.holidays} == {d for d in holidays if d in period}


def test_a_period_beyond_the_calendar_is_not_covered_and_a_window_stays_inside_the_period() -> None:
    loaded = api.load_scenario(TEMPLATE)
    later = api.parse_period("2026-Q3")
    demand = period_demand(later, loaded.dataset, loaded.scenario, 200)
    assert not demand.covered
    assert demand.window_days == later.days and demand.window_start == later.start
    assert period_demand(later, loaded.dataset, None, 14).covers is None


# --- one review, its pack and its print ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def review() -> api.Review:
    data = api.load_scenario(TEMPLATE)
    ruleset = api.check_rules()
    return api.review(
        data.dataset,
        ruleset,
        "2026-S1",
        options=api.PlanOptions(max_moves=2),
        template=data,
        replications=2,
        prepared_on=PREPARED,
    )


@pytest.fixture(scope="module")
def packs(review: api.Review) -> dict[str, str]:
    found = {}
    for lang in ("id", "en"):
        with api.language(lang):
            found[lang] = api.render_review_pack(review)
    return found


class Text(HTMLParser):
    """The visible text of a page and every URL it would fetch."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.fetches: list[str] = []
        self.skip = 0
        self.glued = False  # after <wbr>: the next text continues the word

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "script"):
            self.skip += 1
        self.glued = tag == "wbr"
        for name, value in attrs:
            if name in ("src", "href") and value and not value.startswith("#"):
                self.fetches.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script"):
            self.skip -= 1

    def handle_data(self, data: str) -> None:
        if self.skip or not data.strip():
            return
        if self.glued and self.parts:
            self.parts[-1] += data.strip()
        else:
            self.parts.append(data.strip())
        self.glued = False


def text_of(html: str) -> Text:
    parser = Text()
    parser.feed(html)
    return parser


def test_the_review_follows_the_pipeline(review: api.Review) -> None:
    report = api.analyse_workload(review.dataset)
    shortages = {p.position for p in report.positions if p.gap < 0}
    assert shortages <= {s.need.position for s in review.screening.screenings}
    assert 1 <= len(review.plan.moves) <= 2
    assert [(e.nip, e.target) for e in review.explanations] == [(m.nip, m.to) for m in review.plan.moves]
    assert review.simulation is not None and review.simulation.run.replications == 2
    moved_units = {m.to_unit for m in review.simulation.moves}
    assert moved_units | {"TIC", "DISPARPORA"} <= {u.id for u in review.simulation.units}
    assert review.simulation.run.horizon_start == review.demand.window_start.isoformat()
    assert review.demand.covered and review.judgement == review.simulation.verdict.label
    assert review.participation is not None and len(review.participation.entries) == len(review.plan.moves)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_pack_is_self_contained_and_shows_every_part(packs: dict[str, str], review: api.Review, lang: str) -> None:
    html = packs[lang]
    page = text_of(html)
    assert page.fetches == []
    assert "@page{size:A4" in html and html.count('<section class="part"') == 5
    words = " ".join(page.parts)
    for title in PART_TITLES[lang]:
        assert title in page.parts
    assert "2026-S1" in words and PREPARED.isoformat() in words and review.dataset_sha256 in words
    for pack in review.screening.provenance.packs:
        assert pack.sha256 in words
    for move in review.plan.moves:
        assert move.nip in words and move.to in words
    assert "Libur Lebaran 2026" in words  # the period's strongest season
    no_data = "No follow-up observations were given" if lang == "en" else "Tidak ada data pemantauan"
    assert no_data in words


def test_a_period_the_calendar_does_not_cover_is_not_judged(review: api.Review) -> None:
    loaded = api.load_scenario(TEMPLATE)
    later = api.parse_period("2026-S2")
    stale = replace(review, period=later, demand=period_demand(later, review.dataset, loaded.scenario, 14))
    assert stale.judgement == "TIDAK DAPAT DINILAI" and not stale.feasible
    with api.language("en"):
        words = " ".join(text_of(api.render_review_pack(stale)).parts)
    assert "The seasonal demand of 2026-S2 is unknown" in words
    assert "the scenario calendar is complete only from 2026-01-01 to 2026-06-30" in words
    assert "Simulation verdict for the plan: TIDAK DAPAT DINILAI" in words


@pytest.fixture(scope="module")
def printed(packs: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Path:
    require_browser(CHROMIUM, CHROMEDRIVER)
    folder = tmp_path_factory.mktemp("pack")
    page, pdf = folder / "pack.html", folder / "pack.pdf"
    page.write_text(packs["id"], encoding="utf-8")
    flags = [f for f in CHROMIUM_FLAGS if not f.startswith("--window-size")]
    command = [str(CHROMIUM), *flags, f"--user-data-dir={folder / 'profile'}", "--no-pdf-header-footer"]
    command += [f"--print-to-pdf={pdf}", page.as_uri()]
    subprocess.run(command, check=True, capture_output=True, timeout=120)
    return pdf


def test_the_pack_prints_on_a4_with_each_part_on_a_new_page(printed: Path) -> None:
    from pypdf import PdfReader

    reader = PdfReader(printed)
    pages = [page.extract_text() or "" for page in reader.pages]
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert abs(width - A4_POINTS[0]) < 1 and abs(height - A4_POINTS[1]) < 1
    starts = []
    for title in PART_TITLES["id"]:
        found = [i for i, text in enumerate(pages) if text.lstrip().startswith(title)]
        assert found, f"no page starts with {title!r}"
        starts.append(found[0])
    assert starts == sorted(starts) and starts[0] > 0  # the cover comes first, then the parts in order


LAYOUT = """
const limit = document.documentElement.clientWidth;
const out = [];
for (const el of document.body.querySelectorAll('*')) {
  const box = el.getBoundingClientRect();
  if (box.width > 0 && box.right > limit + 1) out.push(el.tagName + ' ' + Math.round(box.right) + ' ' +
    (el.textContent || '').trim().slice(0, 60));
}
return [limit, out.slice(0, 20)];
"""


def test_nothing_runs_past_the_printable_width(packs: dict[str, str], tmp_path: Path) -> None:
    require_browser(CHROMIUM, CHROMEDRIVER)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(executable_path=str(CHROMEDRIVER)))
    try:
        # A4 minus the pack's 14 mm side margins, at 96 px per inch, laid out for print.
        width = round((210 - 2 * 14) / 25.4 * 96)
        driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": 1100, "deviceScaleFactor": 1, "mobile": False},
        )
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
        for lang, html in packs.items():
            page = tmp_path / f"pack-{lang}.html"
            page.write_text(html, encoding="utf-8")
            driver.get(page.as_uri())
            limit, overflowing = driver.execute_script(LAYOUT)
            assert limit == width
            assert overflowing == [], f"{lang}: elements past the printable width: {overflowing}"
    finally:
        driver.quit()


# --- the command ---------------------------------------------------------------------------------------------


def test_review_rejects_a_template_with_another_dataset(tmp_path: Path) -> None:
    other = ROOT / "tests" / "data" / "mini"
    result = CliRunner().invoke(
        cli.main, ["review", "--period", "2026-S1", str(other), "--scenario", str(TEMPLATE), "--lang", "en"]
    )
    assert result.exit_code == 2
    assert "the scenario template uses dataset" in result.output
    assert "Leave out DATASET, or give the template's dataset folder." in result.output


def test_review_without_moves_writes_a_pack_and_exits_0(tmp_path: Path) -> None:
    """The mini dataset has needs but no move passes the rules: the pack says so and nothing is judged."""
    out = tmp_path / "pack.html"
    args = ["review", "--period", "2025-Q3", str(ROOT / "tests" / "data" / "mini"), "-o", str(out), "--lang", "en"]
    result = CliRunner().invoke(cli.main, args)
    assert result.exit_code == 0, result.output
    assert "Plan: 0 moves" in result.output
    assert "Seasonal demand of 2025-Q3: unknown (the calendar does not cover it)" in result.output
    words = " ".join(text_of(out.read_text(encoding="utf-8")).parts)
    assert "The plan proposes no moves; there is nothing to simulate or decide." in words


def test_projection_without_observations_is_a_usage_error(tmp_path: Path) -> None:
    projection = tmp_path / "p.json"
    projection.write_text("{}", encoding="utf-8")
    args = ["review", "--period", "2026-S1", str(DATASET), "--projection", str(projection), "--lang", "en"]
    result = CliRunner().invoke(cli.main, args)
    assert result.exit_code == 2
    assert "--projection goes with --observations" in result.output


# --- the text of a pack, as a golden file --------------------------------------------------------------------

GOLDEN = Path(__file__).parent / "report_golden"
HASH = re.compile(r"\b[0-9a-f]{64}\b")


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_text_of_a_pack_without_moves_matches_its_golden_file(lang: str, update_golden: bool) -> None:
    """The mini dataset: needs, but no move passes the rules; every part says what it has (hashes masked, since
    they change with every rule pack edit)."""
    mini = api.load_dataset(ROOT / "tests" / "data" / "mini")
    result = api.review(mini, api.check_rules(), "2025-Q3", prepared_on=PREPARED)
    with api.language(lang):
        lines = text_of(api.render_review_pack(result)).parts
    text = HASH.sub("<sha256>", "\n".join(lines)) + "\n"
    golden = GOLDEN / f"review-mini.{lang}.txt"
    if update_golden:
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")
