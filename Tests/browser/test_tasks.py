"""One task of each kind through Chromium: write a prompt, label it, reply as the assistant, rank replies."""
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from contributors import Contributor, work_until
from test_signin import sign_in


def open_task(browser, base_url, kind):
    browser.get(base_url + "/tasks")
    form = browser.find_element(By.CSS_SELECTOR, f'form.task-kind input[value="{kind}"]').find_element(By.XPATH, "..")
    form.find_element(By.TAG_NAME, "button").click()
    WebDriverWait(browser, 15).until(lambda driver: driver.find_elements(By.CSS_SELECTOR, "section.task"), f"no {kind} task page")
    section = browser.find_element(By.CSS_SELECTOR, "section.task")
    assert section.get_attribute("data-kind") == kind
    return section


def submit(browser, button):
    """Clicks a task's submit button and waits for the page the server answers with, so nothing cuts it short."""
    before = browser.current_url
    button.click()
    WebDriverWait(browser, 15).until(lambda driver: driver.current_url != before, "the submit did not leave the task page")


def test_one_task_of_each_kind(browser, base_url, screenshot):
    crowd = [Contributor(base_url, f"Helper {n}").sign_in() for n in range(1, 6)]
    browser.delete_all_cookies()
    sign_in(browser, base_url, "Task Tester")

    browser.get(base_url + "/tasks")
    screenshot("tasks")

    open_task(browser, base_url, "initial_prompt")
    browser.find_element(By.NAME, "text").send_keys("What is the difference between weather and climate?")
    screenshot("task-initial-prompt")
    submit(browser, browser.find_element(By.CSS_SELECTOR, "form.panel button[type=submit]"))

    # Someone else's prompt to label.
    kind, task, body = crowd[0].take("initial_prompt")
    crowd[0].complete(kind, task, body)
    open_task(browser, base_url, "label_initial_prompt")
    browser.find_element(By.CSS_SELECTOR, 'input[name="label_spam"][value="0"]').click()
    browser.find_element(By.CSS_SELECTOR, 'input[name="label_quality"][value="0.75"]').click()
    screenshot("task-label")
    submit(browser, browser.find_element(By.CSS_SELECTOR, "form.labels button[type=submit]"))

    assert work_until(crowd, "assistant_reply")
    open_task(browser, base_url, "assistant_reply")
    browser.find_element(By.NAME, "text").send_keys("Weather is what happens on a given day; climate is the long-run average of weather over decades.")
    screenshot("task-assistant-reply")
    submit(browser, browser.find_element(By.CSS_SELECTOR, "form.panel button[type=submit]"))

    assert work_until(crowd, "rank_assistant_replies", rounds=150)
    section = open_task(browser, base_url, "rank_assistant_replies")
    selects = section.find_elements(By.CSS_SELECTOR, "select[name^=rank_]")
    assert len(selects) >= 2
    # rank.js: the list order is the ranking; the arrows move a reply and the places follow.
    first = section.find_element(By.CSS_SELECTOR, "li.reply").get_attribute("data-id")
    section.find_element(By.CSS_SELECTOR, 'li.reply button[aria-label="Move down"]').click()
    order = [li.get_attribute("data-id") for li in section.find_elements(By.CSS_SELECTOR, "li.reply")]
    assert order[1] == first
    places = [Select(li.find_element(By.TAG_NAME, "select")).first_selected_option.get_attribute("value")
              for li in section.find_elements(By.CSS_SELECTOR, "li.reply")]
    assert places == [str(n) for n in range(1, len(order) + 1)]
    for place, select in enumerate(selects, start=1):
        Select(select).select_by_value(str(place))
    screenshot("task-rank")
    submit(browser, section.find_element(By.CSS_SELECTOR, "form button[type=submit]"))
    assert "/tasks" in browser.current_url
