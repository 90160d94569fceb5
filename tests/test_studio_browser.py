"""The studio in a real browser: Debian's headless Chromium driven by Selenium against Django's live server.

Skipped with a one-line reason where Chromium is not installed; `.ci/run` installs it and sets
SCHEMAKIT_REQUIRE_BROWSER=1, which turns that skip into a failure. Screenshots go to
SCHEMAKIT_SCREENSHOTS (a folder) when it is set.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from schemakit import conf

from .test_studio import _user, demo  # noqa: F401  (the demo schema fixture)

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")

if not (CHROMIUM and DRIVER):
    if os.environ.get("SCHEMAKIT_REQUIRE_BROWSER") == "1":
        raise RuntimeError("SCHEMAKIT_REQUIRE_BROWSER=1 but chromium/chromedriver are not installed")
    pytest.skip("browser tests need Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)",
                allow_module_level=True)

webdriver = pytest.importorskip("selenium.webdriver")
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def browser(tmp_path):
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1400,1000"):
        opts.add_argument(arg)
    driver = webdriver.Chrome(options=opts, service=webdriver.ChromeService(executable_path=DRIVER))
    driver.implicitly_wait(5)
    yield driver
    driver.quit()


def wait(driver, condition) -> None:
    """Wait for what a click started: the old page's elements go stale under a condition that reads them."""
    WebDriverWait(driver, 10, ignored_exceptions=(StaleElementReferenceException, NoSuchElementException)).until(condition)


def wait_url(driver, fragment: str) -> None:
    """Wait for the navigation a click started (reading current_url at once races it)."""
    wait(driver, lambda d: fragment in d.current_url)


def shot(driver, name: str) -> None:
    folder = os.environ.get("SCHEMAKIT_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(Path(folder) / f"{name}.png"))


@pytest.fixture
def logged_in(browser, live_server, django_user_model, demo):  # noqa: F811
    _user(django_user_model, "ada", True, "studio_view_data", "studio_run_sql", "studio_edit_data")
    browser.get(f"{live_server.url}/studio/")
    assert "/studio/login/" in browser.current_url  # asked to log in, never let in silently
    browser.find_element(By.NAME, "username").send_keys("ada")
    browser.find_element(By.NAME, "password").send_keys("pw")
    browser.find_element(By.ID, "login").click()
    wait(browser, lambda d: d.current_url == f"{live_server.url}/studio/")
    return browser


def test_browse_filter_sort_and_follow_keys(logged_in, live_server):
    b = logged_in
    shot(b, "studio-overview")
    b.find_element(By.LINK_TEXT, "posts").click()
    assert "123 rows" in b.find_element(By.ID, "count").text
    selects = b.find_elements(By.NAME, "fc")
    Select(selects[0]).select_by_visible_text("score")
    Select(b.find_elements(By.NAME, "fo")[0]).select_by_value("eq")
    b.find_elements(By.NAME, "fv")[0].send_keys("3")
    b.find_element(By.ID, "apply").click()
    wait_url(b, "fc=score")
    assert "8 rows" in b.find_element(By.ID, "count").text
    b.find_element(By.CSS_SELECTOR, 'a.sort[title="sort descending"]').click()  # sort by the first column, id
    wait_url(b, "dir=desc")
    ids = [td.text for td in b.find_elements(By.CSS_SELECTOR, "#rows tbody tr td:nth-child(2)")]
    assert ids == sorted(ids, key=int, reverse=True) and len(ids) == 8
    shot(b, "studio-table")
    b.find_elements(By.CSS_SELECTOR, "a.open")[0].click()
    wait_url(b, "/row/")
    b.find_element(By.CSS_SELECTOR, "a.parent").click()  # to the author
    wait_url(b, "t=authors")
    assert "1 rows" in b.find_element(By.ID, "count").text
    b.find_element(By.CSS_SELECTOR, "a.open").click()
    wait_url(b, "/row/")
    b.find_element(By.CSS_SELECTOR, "ul.children a").click()  # back to the author's posts
    wait_url(b, "t=posts")
    assert "62 rows" in b.find_element(By.ID, "count").text  # post 107 is bob's (odd ids)


def test_diagram_and_console(logged_in, live_server):
    b = logged_in
    b.get(f"{live_server.url}/studio/diagram/?schema=studio_demo")
    assert b.find_element(By.CSS_SELECTOR, "#diagram svg").is_displayed()
    shot(b, "studio-diagram")
    b.find_element(By.LINK_TEXT, "SQL").click()
    wait_url(b, "/sql/")
    b.find_element(By.ID, "sql").send_keys("SELECT name, mood FROM studio_demo.authors ORDER BY id")
    b.find_element(By.ID, "run").click()
    wait(b, lambda d: d.find_elements(By.ID, "status"))
    cells = [td.text for td in b.find_elements(By.CSS_SELECTOR, "#result td")]
    assert cells[:4] == ["ann", "ok", "bob", "NULL"]
    shot(b, "studio-console")
    b.find_element(By.ID, "sql").clear()
    b.find_element(By.ID, "sql").send_keys("SELECT * FROM studio_demo.posts FOR UPDATE")  # a query that would lock
    b.find_element(By.ID, "run").click()
    assert "read-only transaction" in b.find_element(By.ID, "error").text


def test_edit_a_row_with_write_on(logged_in, live_server, monkeypatch):
    monkeypatch.setitem(conf.STUDIO_OVERRIDES, "write", True)
    b = logged_in
    b.get(f"{live_server.url}/studio/row/?s=studio_demo&t=authors&k=1")
    Select(b.find_element(By.NAME, "mode:name")).select_by_value("value")
    field = b.find_element(By.NAME, "value:name")
    field.clear()
    field.send_keys("ann lovelace")
    Select(b.find_element(By.NAME, "mode:mood")).select_by_value("value")
    Select(b.find_element(By.NAME, "value:mood")).select_by_visible_text("sad")
    b.find_element(By.ID, "save").click()
    wait(b, lambda d: "ann lovelace" in d.find_element(By.CSS_SELECTOR, "table.record").text)
    text = b.find_element(By.CSS_SELECTOR, "table.record").text
    assert "ann lovelace" in text and "sad" in text
    shot(b, "studio-edit")
