"""The sandbox page in headless Chromium (Debian's ``chromium`` + ``chromium-driver``, driven by Selenium).

The main story, clicked as a person would: an asker types ``/mentor ask``, picks a slot, switches to the
mentor, accepts; both see the group DM; the clock moves past the meeting's end and the feedback question
arrives and is answered. Screenshots go to ``SANDBOX_SCREENSHOTS`` when set (``scripts/screenshots.py``
sets it to docs/screenshots/), else to the test's tmp_path.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from app.sandbox.run import RunningSandbox

ASKER, MENTOR = "U0SOFIA", "U0ADA"


def test_ask_pick_accept_and_answer_feedback_in_the_browser(
    sandbox: RunningSandbox, browser: Any, tmp_path: Path
) -> None:
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.select import Select
    from selenium.webdriver.support.ui import WebDriverWait

    shots = Path(os.environ.get("SANDBOX_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    # The page re-renders from /state every second, so a node found a moment ago may be gone: look again.
    wait = WebDriverWait(browser, 15, ignored_exceptions=(StaleElementReferenceException,))

    def find(css: str, text: str | None = None) -> Any:
        def found(_: Any) -> Any:
            for node in browser.find_elements(By.CSS_SELECTOR, css):
                if text is None or text in node.text:
                    return node
            return False

        return wait.until(found)

    def click(css: str, text: str | None = None, *, inside: str | None = None, nth: int = 0) -> None:
        """Click the nth match of css (with text), within the message holding ``inside`` if given."""

        def clicked(_: Any) -> bool:
            scopes = [browser]
            if inside is not None:
                scopes = [m for m in browser.find_elements(By.CSS_SELECTOR, ".msg") if inside in m.text]
            for scope in scopes:
                nodes = [
                    n for n in scope.find_elements(By.CSS_SELECTOR, css) if text is None or text in n.text
                ]
                if len(nodes) > nth:
                    nodes[nth].click()
                    return True
            return False

        wait.until(clicked)

    def be(user: str) -> None:
        Select(find("#who")).select_by_value(user)

    browser.get(sandbox.url)
    find("#who option")
    be(ASKER)
    find("#command").send_keys("ask How do I start with Python? #python")
    click("#send")
    find("#answers .msg", "Pick a 15-minute slot")
    browser.save_screenshot(str(shots / "1-offers.png"))
    click("#answers .msg .bk-button")
    find("#answers .msg", "Request sent to")

    be(MENTOR)
    find(".conv.dm .msg", "would like a 15-minute conversation")
    browser.save_screenshot(str(shots / "2-request.png"))
    click(".conv.dm .bk-button", "Accept")
    find(".conv.group .msg", "How do I start with Python?")
    find(".conv.group .msg", "\N{HANDSHAKE}")  # :handshake: drawn as Slack's clients draw it
    browser.save_screenshot(str(shots / "3-group-dm.png"))

    be(ASKER)
    find(".conv.group .msg", "How do I start with Python?")
    click("#plus-day")
    find(".conv.dm .msg", "How did")
    browser.save_screenshot(str(shots / "4-feedback.png"))
    click(".bk-button", inside="How did", nth=4)  # five stars
    find(".conv.dm .msg", "Thanks!")  # the answer replaces the question, as in Slack
    browser.save_screenshot(str(shots / "5-thanks.png"))
    find("#calls li", "chat.postMessage")
    assert sandbox.fake.calls_to("chat.postMessage", ok=True)
