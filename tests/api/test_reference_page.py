"""The interactive API reference in a real browser: Swagger UI, served from this site, runs
under the site's Content-Security-Policy and can call the API ("Try it out")."""

import pytest

from tests.browser.conftest import browser, live_server, page  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser


def test_reference_page_lists_and_runs_operations(live_server, page):  # noqa: F811
    problems = []
    page.on("console", lambda message: problems.append(message.text)
            if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))

    page.goto(f"{live_server}/api/v1/docs")
    page.wait_for_selector("#operations-practices-listPractices")

    assert page.locator(".opblock").count() >= 18
    page.click("#operations-practices-listPractices .opblock-summary")
    page.click("#operations-practices-listPractices .try-out__btn")
    page.click("#operations-practices-listPractices .execute")
    status = page.locator("#operations-practices-listPractices .live-responses-table "
                          "tbody .response-col_status").first
    status.wait_for()
    assert status.inner_text().strip() == "200"
    assert problems == []
