"""The playground at ``/`` in a real browser: headless Chromium from Debian's ``chromium``
and ``chromium-driver`` packages (``.ci/run`` installs them), driven by Selenium pointed
at that Chromium and that driver (nothing is downloaded). Skipped, saying why, where
they are absent. A screenshot of each test goes to its tmp_path.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .test_serve_support import ROOT, Served, serving

webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None or DRIVER is None,
    reason="headless Chromium is not installed (Debian's chromium and chromium-driver; "
    ".ci/run installs them)",
)

INVALID = ROOT / "examples" / "invalid" / "application.yaml"
VALID = ROOT / "examples" / "valid" / "application.json"
MULTI = ROOT / "tests" / "data" / "multi-operation.openapi.yaml"


@pytest.fixture(scope="module")
def served() -> Iterator[Served]:
    with serving("--no-upstream") as served:
        yield served


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    import os

    from selenium.webdriver.chrome.service import Service

    os.environ.setdefault("SE_AVOID_STATS", "true")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in (
        "--headless=new",
        "--no-sandbox",  # CI runs as root
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--window-size=1400,900",
    ):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(str(DRIVER)), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def open_page(browser: Any, served: Served) -> None:
    browser.get(served.base + "/")
    WebDriverWait(browser, 15).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, "#operation option")
    )


def paste_and_check(browser: Any, text: str) -> None:
    box = browser.find_element(By.ID, "payload")
    box.clear()
    browser.execute_script("arguments[0].value = arguments[1]", box, text)  # a paste
    browser.find_element(By.ID, "check").click()
    WebDriverWait(browser, 15).until(
        lambda d: d.find_element(By.ID, "status").text.startswith(("checked", "REQUEST", "4"))
    )


def rows(browser: Any, table: str) -> list[list[str]]:
    return [
        [cell.text for cell in row.find_elements(By.TAG_NAME, "td")]
        for row in browser.find_elements(By.CSS_SELECTOR, f"#{table} tbody tr")
    ]


def screenshot(browser: Any, path: Path) -> None:
    browser.save_screenshot(str(path))
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_invalid_example_shows_each_issue_beside_its_line(
    browser: Any, served: Served, tmp_path: Path
) -> None:
    open_page(browser, served)
    paste_and_check(browser, INVALID.read_text())
    assert browser.find_element(By.ID, "status").text == (
        "checked as YAML against PostAtsJobsJobIdApplications"
    )
    assert browser.find_element(By.ID, "verdict").text == (
        "Refused: 2 error(s), 1 warning(s), 0 change(s)"
    )
    assert [row[:4] for row in rows(browser, "issues")] == [
        ["6", "/candidate/availability_date", "date.invalid", "error"],
        ["8", "/candidate/location/country", "country.unknown", "error"],
        ["9", "/attachmnets", "key.unknown", "warning"],
    ]
    # beside its line: the source view's line 6 holds the issue's code and message
    marked = {
        li.get_attribute("data-line"): li.find_element(By.CLASS_NAME, "notes").text
        for li in browser.find_elements(By.CSS_SELECTOR, "#source li")
        if li.find_elements(By.CSS_SELECTOR, ".note")
    }
    assert sorted(marked) == ["6", "8", "9"]
    assert marked["6"].startswith("date.invalid '2021-02-30' is not a real calendar date")
    assert marked["8"].startswith("country.unknown 'Narnia'")
    assert browser.find_element(By.ID, "wire").text == "(none: the payload has errors)"
    screenshot(browser, tmp_path / "playground-invalid.png")
    severe = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert severe == []  # no blocked asset, no script error (the CSP allows only its own)


def test_a_json_payload_shows_its_changes_and_the_wire_body(
    browser: Any, served: Served, tmp_path: Path
) -> None:
    payload = json.loads(VALID.read_text())
    payload["candidate"]["location"]["country"] = "Germany"
    text = json.dumps(payload, indent=2)
    open_page(browser, served)
    paste_and_check(browser, text)
    assert browser.find_element(By.ID, "status").text == (
        "checked as JSON against PostAtsJobsJobIdApplications"
    )
    assert browser.find_element(By.ID, "verdict").text.startswith("Valid: 0 error(s)")
    line = text.splitlines().index('      "country": "Germany"') + 1
    changes = rows(browser, "changes")
    assert [row[:3] for row in changes] == [
        [str(line), "/candidate/location/country", '"Germany" → "DE"']
    ]
    wire = json.loads(browser.find_element(By.ID, "wire").text)
    assert wire["candidate"]["location"]["country"] == "DE"
    screenshot(browser, tmp_path / "playground-json.png")


def test_text_that_is_not_yaml_is_one_issue_at_its_line(
    browser: Any, served: Served, tmp_path: Path
) -> None:
    open_page(browser, served)
    paste_and_check(browser, "candidate:\n  first_name: [Ada\n  last_name: x\n")
    [row] = rows(browser, "issues")
    assert row[:3] == ["3", "/", "file.parse_error"]  # the line where the parser gave up
    assert row[4] == "not YAML: did not find expected ',' or ']' (line 3)"
    screenshot(browser, tmp_path / "playground-broken.png")


# ------------------------------------------------------------------ drop, questions, operation


def drop_file(browser: Any, target: str, name: str, text: str) -> None:
    """Drop a file named ``name`` holding ``text`` on the element ``#target``, as the
    browser does for a file dragged from the desktop (a DataTransfer with one File)."""
    browser.execute_script(
        """
        const [id, name, text] = arguments;
        const transfer = new DataTransfer();
        transfer.items.add(new File([text], name, {type: "application/octet-stream"}));
        document.getElementById(id).dispatchEvent(
          new DragEvent("drop", {dataTransfer: transfer, bubbles: true, cancelable: true}));
        """,
        target,
        name,
        text,
    )


def checked(browser: Any, status: str) -> None:
    WebDriverWait(browser, 15).until(lambda d: d.find_element(By.ID, "status").text == status)


def test_a_dropped_yaml_file_is_read_as_yaml_and_checked(
    browser: Any, served: Served, tmp_path: Path
) -> None:
    from selenium.webdriver.support.ui import Select

    open_page(browser, served)
    browser.find_element(By.ID, "payload").clear()
    Select(browser.find_element(By.ID, "format")).select_by_value("json")  # the drop decides
    text = INVALID.read_text()
    drop_file(browser, "payload", "application.yaml", text)
    checked(browser, "checked as YAML against PostAtsJobsJobIdApplications")
    assert browser.find_element(By.ID, "payload").get_attribute("value") == text
    assert Select(browser.find_element(By.ID, "format")).first_selected_option.text == "YAML"
    assert [row[:3] for row in rows(browser, "issues")] == [
        ["6", "/candidate/availability_date", "date.invalid"],
        ["8", "/candidate/location/country", "country.unknown"],
        ["9", "/attachmnets", "key.unknown"],
    ]
    screenshot(browser, tmp_path / "playground-dropped.png")


def test_questions_typed_in_the_page_check_the_answers(
    browser: Any, served: Served, tmp_path: Path
) -> None:
    from selenium.webdriver.common.keys import Keys

    from .helpers import OPT_PY, Q_LANG, QUESTIONS

    body = json.loads(VALID.read_text())
    body.pop("screening_question_answers", None)
    open_page(browser, served)
    browser.find_element(By.CSS_SELECTOR, "#questions-box summary").click()  # open the box
    box = browser.find_element(By.ID, "questions")
    box.clear()
    box.send_keys(json.dumps(QUESTIONS))
    paste_and_check(browser, json.dumps(body, indent=2))
    checked(browser, "checked as JSON against PostAtsJobsJobIdApplications")
    [row] = rows(browser, "issues")
    assert row[1:4] == ["/screening_question_answers", "answer.required", "error"]
    assert row[4] == 'Answer to "Your language?" is required.'
    # answered: the same questions now pass it (Ctrl+Enter in the questions box checks)
    body["screening_question_answers"] = [{"question_id": Q_LANG, "answer": OPT_PY}]
    payload = browser.find_element(By.ID, "payload")
    browser.execute_script("arguments[0].value = arguments[1]", payload, json.dumps(body))
    box.send_keys(Keys.CONTROL, Keys.ENTER)
    WebDriverWait(browser, 15).until(
        lambda d: d.find_element(By.ID, "verdict").text.startswith("Valid: 0 error(s)")
    )
    assert rows(browser, "issues") == []
    screenshot(browser, tmp_path / "playground-questions.png")
    box.clear()  # the module's other tests check without questions


@pytest.fixture(scope="module")
def served_multi() -> Iterator[Served]:
    with serving("--no-upstream", "--spec", str(MULTI)) as served:
        yield served


def test_another_operation_picked_in_the_page_is_the_one_checked(
    browser: Any, served_multi: Served, tmp_path: Path
) -> None:
    from selenium.webdriver.support.ui import Select

    from kombo_validate import Validator

    open_page(browser, served_multi)
    pick = Select(browser.find_element(By.ID, "operation"))
    offered = [option.get_attribute("value") for option in pick.options]
    assert "PostHrisAbsences" in offered and "PostAtsCandidates" in offered
    pick.select_by_value("PostHrisAbsences")
    body = {"employee_id": 1, "absence_type_id": "x"}
    paste_and_check(browser, json.dumps(body, indent=2))
    checked(browser, "checked as JSON against PostHrisAbsences")
    assert [row[1:4] for row in rows(browser, "issues")] == [
        ["/employee_id", "schema.type", "error"],
        ["/absence_type_id", "key.unknown", "warning"],
        ["/start_date", "schema.required", "error"],
    ]
    # what the library says of that body for that operation, issue for issue
    report = Validator(MULTI, operation="PostHrisAbsences").check(body)
    assert [row[1:3] for row in rows(browser, "issues")] == [
        [issue.path, issue.code] for issue in report.issues
    ]
    screenshot(browser, tmp_path / "playground-operation.png")
