"""The review page of ``seimbang serve`` in a real browser (Debian's chromium through Selenium) on 127.0.0.1:
each role logs in with its token and sees what it may see; forbidden actions are not offered and are refused
when forced; the approver approves a proposal, and the decision is found in the audit trail with its SK number
and TMT. Without the browser the test skips with the reason, except with ``CI=true``, where it fails."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait
from service_fixtures import MOVES, Server, running_server
from test_report_html import CHROMEDRIVER, CHROMIUM, CHROMIUM_FLAGS, require_browser

SK = "821.2/117/BKPSDM-SWL/2027"
TMT = "2027-02-01"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("review-page")
    yield from running_server(f"sqlite:///{folder / 'service.db'}", folder / "server.log")


@pytest.fixture(scope="module")
def proposal_id(server: Server) -> int:
    """A proposal drafted and submitted by the planner over the API, waiting for the meeting."""
    planner = server.client("planner")
    drafted = planner.post("/proposals", json={"title": "Operator loket Dukcapil", "moves": MOVES})
    assert drafted.status_code == 201, drafted.text
    pid = int(drafted.json()["id"])
    assert planner.post(f"/proposals/{pid}/submit", json={"version": 1}).status_code == 200
    return pid


@pytest.fixture(scope="module")
def browser() -> Iterator[webdriver.Chrome]:
    require_browser(CHROMIUM, CHROMEDRIVER)
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    # An Indonesian browser, as at BKPSDM; English is chosen with the page's switch.
    options.add_experimental_option("prefs", {"intl.accept_languages": "id"})
    driver = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
    try:
        yield driver
    finally:
        driver.quit()


def log_in(browser: webdriver.Chrome, server: Server, role: str, lang: str = "id") -> str:
    """Log in through the form as ``role``; the text of the review page it lands on."""
    browser.delete_all_cookies()
    browser.get(f"{server.base}/login?lang={lang}")
    browser.find_element(By.ID, "token").send_keys(server.tokens[role])
    browser.find_element(By.ID, "login").click()
    WebDriverWait(browser, 60).until(expected_conditions.url_matches(r"/review$"))
    return browser.find_element(By.TAG_NAME, "body").text


def forms(browser: webdriver.Chrome) -> list[str]:
    return [f.get_attribute("id") or "" for f in browser.find_elements(By.CSS_SELECTOR, "form.decide")]


def test_without_a_session_the_page_asks_to_log_in(server: Server, browser: webdriver.Chrome) -> None:
    browser.delete_all_cookies()
    browser.get(f"{server.base}/review")
    assert browser.current_url.endswith("/login")
    browser.find_element(By.ID, "token").send_keys("smb_not-a-token")
    browser.find_element(By.ID, "login").click()
    # Wait for the answer page: right after the click the browser may still show (or be replacing) the form.
    shown = expected_conditions.text_to_be_present_in_element(
        (By.TAG_NAME, "body"), "Token API tidak dikenal atau sudah dicabut."
    )
    assert WebDriverWait(browser, 60).until(shown)


def test_each_role_sees_what_it_may(server: Server, proposal_id: int, browser: webdriver.Chrome) -> None:
    for role in ("planner", "viewer", "policy_officer"):
        text = log_in(browser, server, role)
        assert "Rapat peninjauan" in text and "Operator loket Dukcapil" in text, role
        assert all(m["nip"] in text for m in MOVES), role
        assert forms(browser) == [], f"{role} is offered a decision form"
        cookie = browser.get_cookie("seimbang_session")
        assert cookie is not None and cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    text = log_in(browser, server, "approver", lang="en")
    assert "Review meeting" in text and "Staffing needs (ABK)" in text
    assert forms(browser) == [f"decide-{proposal_id}"]
    text = log_in(browser, server, "employee")
    own, other = MOVES[0]["nip"], MOVES[1]["nip"]
    assert own in browser.find_element(By.ID, "own-record").text
    rows = browser.find_elements(By.CSS_SELECTOR, "#own-moves tr")
    assert len(rows) == 2 and MOVES[0]["to"] in rows[1].text  # their move only, not their colleague's
    assert other not in text and "ABK" not in text and forms(browser) == []


def test_forbidden_actions_are_refused_when_forced(server: Server, proposal_id: int) -> None:
    url = f"{server.base}/review/proposals/{proposal_id}/decision"
    form = {"version": "2", "outcome": "approve", "reason": "x", "sk_number": SK, "tmt": TMT}
    for role in ("viewer", "planner", "employee"):
        forced = httpx.post(url, data=form, cookies={"seimbang_session": server.tokens[role]})
        assert forced.status_code == 403, (role, forced.text)
    # The approver's own session without the page's CSRF token: refused, nothing decided.
    forged = httpx.post(url, data={**form, "csrf": "0" * 64}, cookies={"seimbang_session": server.tokens["approver"]})
    assert forged.status_code == 403 and "CSRF" in forged.text
    employee = server.client("employee")
    assert employee.get("/proposals").status_code == 403
    assert server.client("approver").get("/decisions").json() == []


def test_the_approver_approves_and_the_decision_is_audited(
    server: Server, proposal_id: int, browser: webdriver.Chrome
) -> None:
    log_in(browser, server, "approver")
    form = browser.find_element(By.ID, f"decide-{proposal_id}")
    form.find_element(By.NAME, "reason").send_keys("Beban kerja loket Dukcapil tinggi.")
    form.find_element(By.CSS_SELECTOR, "button[value=approve]").click()

    # No SK number and no TMT: the problems are shown in the page, nothing is decided. (Wait for the answer page:
    # right after the click the browser may still show the form.)
    def shown_alerts(b: webdriver.Chrome) -> list[str]:
        return [a.text for a in b.find_elements(By.CSS_SELECTOR, "[role=alert]")]

    alerts = WebDriverWait(browser, 60, ignored_exceptions=[StaleElementReferenceException]).until(shown_alerts)
    assert any("SK" in a for a in alerts) and any("TMT" in a for a in alerts), alerts
    assert server.client("approver").get("/decisions").json() == []

    form = browser.find_element(By.ID, f"decide-{proposal_id}")
    form.find_element(By.NAME, "reason").send_keys("Beban kerja loket Dukcapil tinggi.")
    form.find_element(By.NAME, "sk_number").send_keys(SK)
    form.find_element(By.NAME, "tmt").send_keys(TMT)
    form.find_element(By.CSS_SELECTOR, "button[value=approve]").click()
    WebDriverWait(browser, 60).until(expected_conditions.url_matches(r"/review$"))
    assert WebDriverWait(browser, 60).until(
        expected_conditions.text_to_be_present_in_element((By.TAG_NAME, "body"), SK)
    )
    assert forms(browser) == []

    approver = server.client("approver")
    [decision] = approver.get("/decisions").json()
    assert (decision["proposal_id"], decision["outcome"]) == (proposal_id, "approve")
    assert (decision["sk_number"], decision["tmt"]) == (SK, TMT)
    assert decision["actor"].endswith("(test approver)")
    entries = approver.get("/audit", params={"limit": 1000}).json()
    decided = [e for e in entries if SK in str(e) and TMT in str(e)]
    assert decided, "the decision is not in the audit trail"
    assert approver.get("/audit/verify").json()["first_broken"] is None
