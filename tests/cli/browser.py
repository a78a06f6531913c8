"""A headless Chromium for the page tests, driven by selenium; skipped only if it is not there.

Debian's ``chromium`` and ``chromium-driver`` packages provide ``/usr/bin/chromium``
and ``/usr/bin/chromedriver`` (``.ci/run`` installs them). The browser starts with
a fresh profile, without network services of its own, once per test session.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--window-size=1280,1000",
)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """A headless Chromium (a selenium WebDriver), or a skip saying what is missing."""
    if CHROMIUM is None or DRIVER is None:
        pytest.skip(
            "no Chromium to test the page in: install Debian's chromium and chromium-driver"
            f" (found chromium: {CHROMIUM}, chromedriver: {DRIVER})"
        )
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    with tempfile.TemporaryDirectory() as profile:
        options = Options()
        options.binary_location = CHROMIUM
        for flag in (*FLAGS, f"--user-data-dir={profile}"):
            options.add_argument(flag)
        driver = webdriver.Chrome(service=Service(DRIVER), options=options)
        try:
            yield driver
        finally:
            driver.quit()


def screenshot(driver: object, path: Path) -> None:
    """Save the whole page (not only the window) as a PNG."""
    from selenium.webdriver.remote.webdriver import WebDriver

    assert isinstance(driver, WebDriver)
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(1280, min(int(height) + 40, 8000))
    driver.save_screenshot(str(path))
    driver.set_window_size(1280, 1000)
