"""A person signs in with a magic link read from the mail catcher, picks a name and reaches the dashboard."""
import uuid

from selenium.webdriver.common.by import By

from inbox import sign_in_link


def sign_in(browser, base_url, name):
    address = f"browser-{uuid.uuid4().hex[:10]}@example.org"
    browser.get(base_url + "/signin")
    browser.find_element(By.NAME, "email").send_keys(address)
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    assert "Check your mail" in browser.find_element(By.TAG_NAME, "h1").text
    browser.get(sign_in_link(address))
    assert "Confirm sign-in" in browser.find_element(By.TAG_NAME, "h1").text
    browser.find_element(By.ID, "confirm").click()
    assert "Welcome" in browser.find_element(By.TAG_NAME, "h1").text
    browser.find_element(By.NAME, "display_name").send_keys(name)
    browser.find_element(By.NAME, "accept_terms").click()
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
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
