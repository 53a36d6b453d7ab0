"""The chat in Chromium: a reply grows in as it streams, retry makes a branch, the pager switches."""
import time

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from test_signin import sign_in


def wait_for_reply(browser, timeout=120):
    """Watches the streaming reply and returns the lengths its text went through before it finished."""
    lengths = []
    deadline = time.time() + timeout
    while time.time() < deadline:
        streaming = browser.find_elements(By.CSS_SELECTOR, ".streaming")
        if not streaming:
            break
        try:
            length = len(streaming[0].text)
        except Exception:  # the page reloaded between finding and reading
            continue
        if length and (not lengths or lengths[-1] != length):
            lengths.append(length)
        time.sleep(0.02)
    WebDriverWait(browser, 30).until(lambda b: not b.find_elements(By.CSS_SELECTOR, ".streaming"))
    WebDriverWait(browser, 30).until(lambda b: b.find_elements(By.CSS_SELECTOR, ".retry-form"))
    return lengths


def test_chat_streams_and_branches(browser, base_url, screenshot):
    browser.delete_all_cookies()
    sign_in(browser, base_url, "Chat Tester")
    browser.get(base_url + "/chats")
    screenshot("chats")
    browser.find_element(By.CSS_SELECTOR, "form.new-chat button[type=submit]").click()
    browser.find_element(By.ID, "composer-text").send_keys("Write a few sentences about the ocean and its tides.")
    browser.find_element(By.CSS_SELECTOR, "form.composer button[type=submit]").click()

    lengths = wait_for_reply(browser)
    assert len(lengths) >= 3, f"the reply should grow in at least three steps, saw {lengths}"
    reply = browser.find_element(By.CSS_SELECTOR, "li.chat-message.assistant .message-text").text
    assert reply.strip()
    screenshot("chat")

    browser.find_element(By.CSS_SELECTOR, ".retry-form button[type=submit]").click()
    wait_for_reply(browser)
    assert "2/2" in browser.find_element(By.CSS_SELECTOR, "li.chat-message.assistant .pager").text
    browser.find_element(By.CSS_SELECTOR, 'li.chat-message.assistant .pager a[aria-label="Previous version"]').click()
    assert "1/2" in browser.find_element(By.CSS_SELECTOR, "li.chat-message.assistant .pager").text
    assert browser.find_element(By.CSS_SELECTOR, "li.chat-message.assistant .message-text").text == reply
    screenshot("chat-branches")
