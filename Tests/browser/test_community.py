"""Leaderboard, stats, the flag queue and a moderator's user page through Chromium."""
import os
import subprocess
import time

from selenium.webdriver.common.by import By

from contributors import Contributor
from test_signin import sign_in


def sql(statement):
    """One value from the server's database (the run script points OASST_DATABASE_URL at it)."""
    result = subprocess.run(["psql", os.environ["OASST_DATABASE_URL"], "-qtAc", statement], check=True, capture_output=True, text=True)
    return result.stdout.strip()


def test_leaderboard_stats_and_moderation(browser, base_url, screenshot):
    crowd = [Contributor(base_url, f"Scorer {n}").sign_in() for n in range(1, 5)]
    kind, task, body = crowd[0].take("initial_prompt")
    crowd[0].complete(kind, task, body)
    for person in crowd[1:]:
        found = person.take("label_initial_prompt")
        assert found is not None
        person.complete(*found)
    prompt_id = sql("SELECT id FROM messages WHERE parent_id IS NULL ORDER BY created_at DESC LIMIT 1")
    crowd[1]._send(f"/messages/{prompt_id}")
    status, _, _ = crowd[1]._send(f"/messages/{prompt_id}/report", {"reason": "Contains a phone number"})
    assert status == 303

    browser.delete_all_cookies()
    sign_in(browser, base_url, "Moderator Mia")
    sql("UPDATE users SET role = 'moderator' WHERE display_name = 'Moderator Mia'")

    # The board is ranked every second in this run (OASST_LEADERBOARD_REFRESH_SECONDS): wait for the next ranking.
    for _ in range(20):
        browser.get(base_url + "/leaderboard")
        boards = browser.find_elements(By.CSS_SELECTOR, "table.board")
        if boards and "Scorer 2" in boards[0].text:
            break
        time.sleep(0.5)
    assert "Scorer 2" in browser.find_element(By.CSS_SELECTOR, "table.board").text
    screenshot("leaderboard")

    author_id = sql("SELECT id FROM users WHERE display_name = 'Scorer 2'")
    browser.get(f"{base_url}/users/{author_id}")
    assert "Level" in browser.page_source
    screenshot("profile")

    browser.get(base_url + "/stats")
    assert browser.find_elements(By.CSS_SELECTOR, "figure.chart svg rect.chart-bar")
    screenshot("stats")

    browser.get(base_url + "/moderation")
    assert "Contains a phone number" in browser.page_source
    screenshot("moderation-queue")

    writer_id = sql("SELECT id FROM users WHERE display_name = 'Scorer 1'")
    browser.get(f"{base_url}/moderation/users/{writer_id}")
    assert "Scorer 1" in browser.find_element(By.TAG_NAME, "h1").text
    screenshot("moderation-user")
