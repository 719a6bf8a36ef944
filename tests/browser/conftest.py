"""Headless Chromium (Debian's ``chromium`` + ``chromium-driver``, driven by Selenium) and a sandbox for it.
Tests skip with the reason when no browser can be had; ``.ci/run`` installs one."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sandbox_runs import running_sandbox

from app.sandbox.run import RunningSandbox

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
DRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"


def _browser() -> Any:
    if not (os.path.exists(CHROMIUM) and os.path.exists(DRIVER)):
        pytest.skip("no browser: install Debian's chromium and chromium-driver (.ci/run does)")
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is in the test extra")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1000"):
        options.add_argument(flag)
    try:
        return webdriver.Chrome(service=Service(DRIVER), options=options)
    except Exception as exc:  # a browser that cannot start here is a skip, with the reason
        pytest.skip(f"Chromium would not start: {str(exc).splitlines()[0]}")


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[RunningSandbox]:
    with running_sandbox(tmp_path) as running:
        yield running


@pytest.fixture
def browser() -> Iterator[Any]:
    driver = _browser()
    try:
        yield driver
    finally:
        driver.quit()
