"""The chat in Chromium: a reply grows in as it streams, retry makes a branch, the pager switches."""
import json

from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

from test_signin import sign_in


def follow(browser, element):
    """Clicks a link or submit button and waits until the browser has left the page: the click returns before
    that, and the old page's elements would still be found. An element read while its page is torn down is
    gone too (Chromium reports that as a node that no longer belongs to the document)."""
    element.click()
    stale = expected_conditions.staleness_of(element)

    def left(driver):
        try:
            return stale(driver)
        except WebDriverException as error:
            if "does not belong to the document" in str(error):
                return True
            raise
    WebDriverWait(browser, 30).until(left)


# Installed in every page before its own scripts run: notes each length the streaming reply's text passes
# through. Polling from the test would see only some of them, and none at all when the reply is quick; the
# notes live in sessionStorage because the page reloads itself once the reply is done.
RECORD_STREAMED_LENGTHS = """
new MutationObserver(function () {
  var element = document.querySelector('.streaming');
  if (!element) { return; }
  var seen = JSON.parse(sessionStorage.getItem('streamedLengths') || '[]');
  var length = element.textContent.length;
  if (length && seen[seen.length - 1] !== length) {
    seen.push(length);
    sessionStorage.setItem('streamedLengths', JSON.stringify(seen));
  }
}).observe(document, {childList: true, subtree: true, characterData: true});
"""


def send_and_watch_reply(browser, button, timeout=120):
    """Submits the form, waits for the reply on the page it leads to, and returns the lengths its text went
    through while it streamed."""
    browser.execute_script("sessionStorage.removeItem('streamedLengths')")
    follow(browser, button)
    WebDriverWait(browser, timeout).until(lambda b: not b.find_elements(By.CSS_SELECTOR, ".streaming"))
    WebDriverWait(browser, 30).until(lambda b: b.find_elements(By.CSS_SELECTOR, ".retry-form"))
    return json.loads(browser.execute_script("return sessionStorage.getItem('streamedLengths') || '[]'"))


def test_chat_streams_and_branches(browser, base_url, screenshot):
    browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": RECORD_STREAMED_LENGTHS})
    browser.delete_all_cookies()
    sign_in(browser, base_url, "Chat Tester")
    browser.get(base_url + "/chats")
    screenshot("chats")
    follow(browser, browser.find_element(By.CSS_SELECTOR, "form.new-chat button[type=submit]"))
    browser.find_element(By.ID, "composer-text").send_keys("Write a few sentences about the ocean and its tides.")
    lengths = send_and_watch_reply(browser, browser.find_element(By.CSS_SELECTOR, "form.composer button[type=submit]"))
    assert len(lengths) >= 3, f"the reply should grow in at least three steps, saw {lengths}"
    reply = browser.find_element(By.CSS_SELECTOR, "li.chat-message.assistant .message-text").text
    assert reply.strip()
    screenshot("chat")

    send_and_watch_reply(browser, browser.find_element(By.CSS_SELECTOR, ".retry-form button[type=submit]"))
    assert "2/2" in browser.find_element(By.CSS_SELECTOR, "li.chat-message.assistant .pager").text
    follow(browser, browser.find_element(By.CSS_SELECTOR, 'li.chat-message.assistant .pager a[aria-label="Previous version"]'))
    assert "1/2" in browser.find_element(By.CSS_SELECTOR, "li.chat-message.assistant .pager").text
    assert browser.find_element(By.CSS_SELECTOR, "li.chat-message.assistant .message-text").text == reply
    screenshot("chat-branches")
