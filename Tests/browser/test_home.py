"""The home page renders with its stylesheet applied, on a desktop and on a phone."""
from selenium.webdriver.common.by import By


def test_home_page(browser, base_url, screenshot):
    browser.get(base_url + "/")
    assert browser.title == "Open Assistant"
    heading = browser.find_element(By.TAG_NAME, "h1")
    assert "built by people" in heading.text
    # The stylesheet applied: the header is sticky and the primary button has the accent background.
    header = browser.find_element(By.CSS_SELECTOR, ".site-header")
    assert header.value_of_css_property("position") == "sticky"
    button = browser.find_element(By.CSS_SELECTOR, ".hero .button")
    assert button.value_of_css_property("background-color") not in ("rgba(0, 0, 0, 0)", "transparent")
    links = {a.get_attribute("href").rsplit("/", 1)[-1] for a in browser.find_elements(By.CSS_SELECTOR, "nav a")}
    assert {"tasks", "chats", "leaderboard"} <= links
    assert screenshot("home").stat().st_size > 10_000
    assert screenshot("home-phone", width=390).stat().st_size > 10_000


def test_not_found_page(browser, base_url, screenshot):
    browser.get(base_url + "/no/such/page")
    assert "Page not found" in browser.find_element(By.TAG_NAME, "h1").text
    screenshot("not-found")
