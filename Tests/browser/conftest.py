"""Shared fixtures: one headless Chromium for the session, the server's base URL, a screenshot helper."""
import os
import pathlib

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service


@pytest.fixture(scope="session")
def base_url():
    return os.environ["OASST_TEST_URL"]


@pytest.fixture(scope="session")
def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    yield driver
    driver.quit()


@pytest.fixture(scope="session")
def screenshot(browser):
    folder = pathlib.Path(os.environ.get("OASST_SCREENSHOTS", ".data/screenshots"))
    folder.mkdir(parents=True, exist_ok=True)

    def take(name, width=1280):
        height = browser.execute_script("return document.documentElement.scrollHeight")
        browser.set_window_size(width, max(700, min(height + 40, 4000)))
        path = folder / f"{name}.png"
        browser.save_screenshot(str(path))
        browser.set_window_size(1280, 900)
        return path

    return take
