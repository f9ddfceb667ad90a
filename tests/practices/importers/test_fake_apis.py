"""Both WOCAT APIs faked on loopback (pytest-httpserver): paging, tokens, records changed
between two syncs, rate limits, server errors and timeouts."""

import json
import time

from werkzeug import Response

from practices.importers import sources
from tests.practices.importers.conftest import sheet_by_source
from tests.practices.importers.synthetic import database_record, v2_detail, v2_summary

TOKEN = "secret-token"
AUTH = {"Authorization": f"Token {TOKEN}"}


def patient(**options) -> sources.Http:
    """A client that does not really wait between attempts (the waits are counted)."""
    client = sources.Http(token=options.pop("token", TOKEN), sleep=lambda _seconds: None,
                          **options)
    return client


def serve_v2(httpserver, updated: dict[int, str], changed: dict[int, str] | None = None):
    """Two list pages (3 + 2 records) and a detail per record, behind a token."""
    numbers = sorted(updated)
    pages = [numbers[:3], numbers[3:]]
    for index, page in enumerate(pages, 1):
        following = httpserver.url_for(f"/en/api/v2/questionnaires/?page={index + 1}") \
            if index < len(pages) else ""
        query = "" if index == 1 else {"page": str(index)}
        httpserver.expect_request("/en/api/v2/questionnaires/", query_string=query,
                                  headers=AUTH).respond_with_json(
            {"count": len(numbers), "next": following, "previous": "",
             "results": [v2_summary(n, updated[n]) for n in page]})
    for number in numbers:
        title = (changed or {}).get(number)
        httpserver.expect_request(f"/en/api/v2/questionnaires/technologies_{number}/",
                                  headers=AUTH).respond_with_json(v2_detail(number, title=title))


def detail_requests(httpserver) -> list[str]:
    return [request.path for request, _response in httpserver.log if "technologies_" in
            request.path or request.path.rstrip("/").split("/")[-1].isdigit()]


def test_qcat_v2_pages_and_syncs_only_what_changed(session, httpserver, run_wocat):
    updated = {n: "2026-01-01T10:00:00Z" for n in (101, 102, 103, 104, 105)}
    serve_v2(httpserver, updated)
    first = run_wocat(httpserver.url_for("/en/api/v2/questionnaires/"), client=patient())
    assert first.counts["created"] == 5, first.results
    assert sheet_by_source(session, "wocat:technologies_104").title == "Synthetic bund 104"
    httpserver.clear()
    updated[104] = "2026-03-01T10:00:00Z"
    serve_v2(httpserver, updated, changed={104: "Synthetic bund 104, revised"})
    second = run_wocat(httpserver.url_for("/en/api/v2/questionnaires/"), client=patient())
    assert second.counts == {"created": 0, "updated": 1, "unchanged": 4, "conflict": 0,
                             "rejected": 0}
    assert detail_requests(httpserver) == ["/en/api/v2/questionnaires/technologies_104/"]
    assert sheet_by_source(session, "wocat:technologies_104").title == \
        "Synthetic bund 104, revised"


def test_wocat_database_api_list_then_each_record(session, httpserver, run_wocat):
    records = {7: database_record(7, languages=("en", "fr")), 8: database_record(8)}
    httpserver.expect_request("/api/database/technologies/", headers=AUTH).respond_with_json(
        [{"id": n, "updated_at": r["selected_version"]["updated_at"]}
         for n, r in records.items()])
    for number, record in records.items():
        httpserver.expect_request(f"/api/database/technologies/{number}/",
                                  headers=AUTH).respond_with_json(record)
    report = run_wocat(httpserver.url_for("/api/database/technologies/"), client=patient())
    assert report.counts["created"] == 3  # 7 in English and French, 8 in English
    original = sheet_by_source(session, "wocat:technologies_7")
    french = sheet_by_source(session, "wocat:technologies_7:fr")
    assert french.translation_of_id == original.id and french.language == "fr"
    assert "Somewhere Street" not in original.attribution  # an address in "title"


def test_a_refused_token_stops_the_run_with_a_clear_message(session, httpserver, run_wocat):
    httpserver.expect_request("/api/database/technologies/").respond_with_json(
        {"detail": "Invalid token."}, status=401)
    report = run_wocat(httpserver.url_for("/api/database/technologies/"),
                       client=patient(token="wrong"))
    assert report.status == "failed"
    assert "refused access (HTTP 401)" in report.error and "--token" in report.error
    assert "wrong" not in report.error


def test_rate_limits_and_server_errors_are_retried_then_reported(session, httpserver,
                                                                 run_wocat):
    calls = {"7": 0, "8": 0}
    waits = []

    def flaky(request):
        number = request.path.rstrip("/").split("/")[-1]
        calls[number] += 1
        if number == "7" and calls[number] == 1:
            return Response("slow down", status=429, headers={"Retry-After": "3"})
        if number == "7" and calls[number] == 2:
            return Response("oops", status=502)
        if number == "8":
            return Response("broken for good", status=500)
        return Response(json.dumps(database_record(7)),
                        content_type="application/json")

    httpserver.expect_request("/api/database/technologies/").respond_with_json(
        [{"id": 7}, {"id": 8}])
    httpserver.expect_request("/api/database/technologies/7/").respond_with_handler(flaky)
    httpserver.expect_request("/api/database/technologies/8/").respond_with_handler(flaky)
    client = sources.Http(token=TOKEN, attempts=3, sleep=waits.append)
    report = run_wocat(httpserver.url_for("/api/database/technologies/"), client=client)
    outcomes = {result.key: result for result in report.results}
    assert outcomes["wocat:technologies_7"].outcome == "created"
    assert outcomes["wocat:technologies_8"].outcome == "rejected"
    assert "failed 3 times (HTTP 500)" in outcomes["wocat:technologies_8"].reason
    assert calls == {"7": 3, "8": 3}
    assert waits[0] == 3  # Retry-After honoured; then exponential backoff
    assert waits[1:] == [2.0, 1.0, 2.0]


def test_a_server_that_does_not_answer_times_out(session, httpserver, run_wocat):
    def hang(_request):
        time.sleep(1.5)
        return Response("{}", content_type="application/json")

    httpserver.expect_request("/api/database/technologies/").respond_with_json([{"id": 9}])
    httpserver.expect_request("/api/database/technologies/9/").respond_with_handler(hang)
    client = sources.Http(token=TOKEN, attempts=2, timeout=0.3, sleep=lambda _s: None)
    report = run_wocat(httpserver.url_for("/api/database/technologies/"), client=client)
    assert report.results[0].outcome == "rejected"
    assert "ReadTimeout" in report.results[0].reason



def test_qcat_v2_fetches_each_translation_as_a_linked_sheet(session, httpserver, run_wocat):
    summary = dict(v2_summary(300), translations=[["en", "English"], ["es", "Spanish"]])
    httpserver.expect_request("/en/api/v2/questionnaires/", headers=AUTH).respond_with_json(
        {"count": 1, "next": "", "previous": "", "results": [summary]})
    httpserver.expect_request("/en/api/v2/questionnaires/technologies_300/",
                              headers=AUTH).respond_with_json(v2_detail(300))
    httpserver.expect_request("/es/api/v2/questionnaires/technologies_300/", headers=AUTH
                              ).respond_with_json(v2_detail(300, title="Bordos sintéticos"))
    report = run_wocat(httpserver.url_for("/en/api/v2/questionnaires/"), client=patient())
    assert report.counts["created"] == 2
    spanish = sheet_by_source(session, "wocat:technologies_300:es")
    assert spanish.title == "Bordos sintéticos" and spanish.language == "es"
    assert spanish.translation_of_id == sheet_by_source(session, "wocat:technologies_300").id
    assert spanish.source_url.endswith("/es/wocat/technologies/view/technologies_300/")
