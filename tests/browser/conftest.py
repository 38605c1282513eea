"""Fixtures for the browser tests: the sandbox served on loopback by the tests themselves, and a
real headless Chromium (Debian's `chromium` and `chromium-driver`, which `make test` installs)
driven through Selenium at a phone's screen size."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from installo.testing.sandbox import DEMO_API_KEY, sandbox_app, serve_sandbox
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

PHONE = (390, 844)  # CSS pixels of a common phone screen


def _system(*names: str) -> str:
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    pytest.fail(f"none of {names} is on PATH: `make test` installs chromium and chromium-driver")


@pytest.fixture(scope="module")
def sandbox_url() -> Iterator[str]:
    """The sandbox on a loopback port (stopped after the module)."""
    app = sandbox_app(seed=7, webhook_worker=False)
    with serve_sandbox(app) as url:
        yield url
    app.state.sandbox.close()


@pytest.fixture(scope="module")
def api(sandbox_url: str) -> Iterator[httpx.Client]:
    """The merchant's side: an HTTP client with the demo key."""
    headers = {"Authorization": f"Bearer {DEMO_API_KEY}"}
    with httpx.Client(base_url=sandbox_url, headers=headers) as client:
        yield client


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Chromium at a phone's size, driven by the system chromedriver (no download)."""
    options = webdriver.ChromeOptions()
    options.binary_location = _system("chromium", "chromium-browser")
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"):
        options.add_argument(flag)
    options.add_argument(f"--window-size={PHONE[0]},{PHONE[1]}")
    driver = webdriver.Chrome(options=options, service=Service(_system("chromedriver")))
    try:
        yield driver
    finally:
        driver.quit()
