"""A person signs in with a magic link read from the mail catcher, picks a name and reaches the dashboard."""
import uuid

from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from inbox import sign_in_link


def wait_for_heading(browser, text, seconds=15):
    """Waits for the page after a click: until then the old page's heading may still be found, go stale, or be
    torn down while it is read (Chromium reports that as a node that no longer belongs to the document)."""
    def shows(driver):
        try:
            return text in driver.find_element(By.TAG_NAME, "h1").text
        except (NoSuchElementException, StaleElementReferenceException):
            return False
        except WebDriverException as error:
            if "does not belong to the document" in str(error):
                return False
            raise
    WebDriverWait(browser, seconds).until(shows, f"no heading with {text!r}")


def sign_in(browser, base_url, name):
    address = f"browser-{uuid.uuid4().hex[:10]}@example.org"
    browser.get(base_url + "/signin")
    browser.find_element(By.NAME, "email").send_keys(address)
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    wait_for_heading(browser, "Check your mail")
    browser.get(sign_in_link(address))
    wait_for_heading(browser, "Confirm sign-in")
    browser.find_element(By.ID, "confirm").click()
    wait_for_heading(browser, "Welcome")
    browser.find_element(By.NAME, "display_name").send_keys(name)
    browser.find_element(By.NAME, "accept_terms").click()
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    wait_for_heading(browser, "Hello, " + name)
    return address


def test_sign_in_flow(browser, base_url, screenshot):
    browser.delete_all_cookies()
    browser.get(base_url + "/signin")
    screenshot("signin")
    sign_in(browser, base_url, "Browser Tester")
    assert browser.current_url.endswith("/dashboard")
    assert "Hello, Browser Tester" in browser.find_element(By.TAG_NAME, "h1").text
    screenshot("dashboard")
    browser.get(base_url + "/account")
    assert "this one" in browser.page_source
    screenshot("account")
