"""Every Block Kit block and element the issue lists is drawn on the page, and a pick in a menu reaches the
bot as Slack's signed ``block_actions``
(with its signature accepted).

The message is posted the way the bot posts: a ``chat.postMessage`` to the stand-in, into a person's DM.
"""

from __future__ import annotations

from typing import Any

from slack_sdk import WebClient

from app.sandbox.run import RunningSandbox

PERSON = "U0SOFIA"
OPTIONS = [{"text": {"type": "plain_text", "text": t}, "value": t.lower()} for t in ("Python", "Design")]
IMAGE = "data:image/gif;base64,R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw=="

BLOCKS: list[dict[str, Any]] = [
    {"type": "header", "text": {"type": "plain_text", "text": "Every element"}},
    {
        "type": "section",
        "block_id": "s1",
        "text": {"type": "mrkdwn", "text": "*Bold* and _italic_ :coffee:"},
        "fields": [{"type": "mrkdwn", "text": "*Field one*"}, {"type": "mrkdwn", "text": "Field two"}],
        "accessory": {
            "type": "overflow",
            "action_id": "bk_overflow",
            "options": [{"text": {"type": "plain_text", "text": "Edit"}, "value": "edit"}],
        },
    },
    {"type": "divider"},
    {
        "type": "context",
        "elements": [
            {"type": "image", "image_url": IMAGE, "alt_text": "a dot"},
            {"type": "mrkdwn", "text": "Context line"},
        ],
    },
    {
        "type": "image",
        "image_url": IMAGE,
        "alt_text": "picture",
        "title": {"type": "plain_text", "text": "Pic"},
    },
    {
        "type": "actions",
        "block_id": "a1",
        "elements": [
            {"type": "button", "action_id": "bk_button", "text": {"type": "plain_text", "text": "Press"}},
            {
                "type": "static_select",
                "action_id": "bk_select",
                "placeholder": {"type": "plain_text", "text": "Pick"},
                "options": OPTIONS,
            },
            {"type": "datepicker", "action_id": "bk_date", "initial_date": "2031-01-09"},
            {"type": "timepicker", "action_id": "bk_time", "initial_time": "09:30"},
        ],
    },
    {
        "type": "input",
        "block_id": "i1",
        "label": {"type": "plain_text", "text": "Topics"},
        "element": {"type": "multi_static_select", "action_id": "bk_multi", "options": OPTIONS},
    },
    {
        "type": "input",
        "block_id": "i2",
        "label": {"type": "plain_text", "text": "Formats"},
        "element": {"type": "checkboxes", "action_id": "bk_checks", "options": OPTIONS},
    },
]


def test_every_block_and_element_is_drawn_and_a_menu_pick_reaches_the_bot_signed(
    sandbox: RunningSandbox, browser: Any
) -> None:
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.select import Select
    from selenium.webdriver.support.ui import WebDriverWait

    client = WebClient(base_url=sandbox.fake.api_url, token=sandbox.fake.bot_token, retry_handlers=[])
    channel = client.conversations_open(users=PERSON)["channel"]["id"]
    client.chat_postMessage(channel=channel, text="Every element", blocks=BLOCKS)

    wait = WebDriverWait(browser, 15, ignored_exceptions=(StaleElementReferenceException,))

    def find(css: str) -> Any:
        return wait.until(lambda _: next(iter(browser.find_elements(By.CSS_SELECTOR, css)), False))

    browser.get(sandbox.url)
    find("#who option")
    Select(find("#who")).select_by_value(PERSON)
    message = wait.until(
        lambda _: next(
            (m for m in browser.find_elements(By.CSS_SELECTOR, ".msg") if "Every element" in m.text), False
        )
    )
    for css in (
        ".bk-overflow",
        ".bk-select",
        ".bk-datepicker",
        ".bk-timepicker",
        ".bk-multi",
        ".bk-checkboxes",
    ):
        assert message.find_elements(By.CSS_SELECTOR, css), f"{css} not drawn"
    assert message.find_elements(By.CSS_SELECTOR, "hr"), "divider not drawn"
    assert len(message.find_elements(By.CSS_SELECTOR, "img")) >= 2, "context and image blocks not drawn"
    text = message.text
    for seen in ("Field one", "Field two", "Context line", "Press", "Bold", "\N{HOT BEVERAGE}"):
        assert seen in text, f"{seen!r} not on the page: {text}"
    assert message.find_elements(By.CSS_SELECTOR, "b") and message.find_elements(By.CSS_SELECTOR, "i")

    # A pick in the menu is a signed block_actions the bot answers (HTTP 200), as from Slack.
    sent = sandbox.sandbox.actions_sent
    before = len(sent)
    Select(find(".msg .bk-select")).select_by_value("design")
    wait.until(lambda _: len(sent) > before)
    picked = sent[-1]
    assert picked["user"] == PERSON and picked["actions"][0]["action_id"] == "bk_select"
    assert picked["actions"][0]["selected_option"]["value"] == "design"
    # Its signature was accepted (not 401); Bolt answers 404 as the bot has no listener for this test's id.
    assert picked["status"] == 404
