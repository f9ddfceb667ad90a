"""The dashboard's pages (issue 15): /dashboard with its headline and three sections, each
figure's own page, its embed (the one page other sites may frame), its CSV and JSON, the
filters in the address (a bad one is a 400 that names it) and the gap cells that open a
prefilled new-sheet form."""

import csv
import gc
import gzip
import io
import json
import re

import pytest
from markupsafe import Markup

from practices import dashboard
from practices.models import Role
from wiki.dashboard_cards import CardStore

GROUPS_AND_ZONES = {"practice_groups": ["agroforestry"], "agro_climatic_zones": ["humid"]}


@pytest.fixture
def wiki(make_sheet, make_user):
    """Two published sheets (Burkina Faso, France) and a draft nobody may count."""
    author = make_user(Role.MODERATOR)
    make_sheet("Zai pits", author=author, countries=["BF"], **GROUPS_AND_ZONES)
    make_sheet("Cover crops", author=author, countries=["FR"], **GROUPS_AND_ZONES)
    make_sheet("Secret draft", author=author, status="draft", countries=["FR"],
               practice_groups=["water-harvesting"])


def headline_number(page: str, label: str) -> str:
    match = re.search(rf"<dt>{re.escape(label)}</dt>\s*<dd>([^<]*)", page)
    assert match, f"no headline {label!r}"
    return match.group(1).strip()


def test_dashboard_shows_headline_sections_and_every_figure(client, wiki):
    page = client.get("/dashboard")
    assert page.status_code == 200
    text = page.text
    assert headline_number(text, "Published sheets") == "2"  # the draft is not counted
    for section in ("Knowledge", "Community", "Action"):
        assert f">{section}</h2>" in text
    for name in dashboard.FIGURES:
        assert f'id="figure-{name}"' in text
        assert f'href="/dashboard/{name}.csv"' in text
    assert text.count('role="img"') >= 5  # the figures with rows (no measures here)
    assert "Secret draft" not in text
    assert 'href="/dashboard">Dashboard</a>' in text  # in the site's navigation
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
    assert page.headers["X-Frame-Options"] == "DENY"


def test_gap_cell_opens_the_new_sheet_form_with_its_fields_set(client, wiki, login, make_user):
    page = client.get("/dashboard").text
    gap = "/practices/new?practice_groups=agroforestry&amp;agro_climatic_zones=semi-arid"
    assert gap in page  # agroforestry is documented in humid zones only
    assert "+ write one<span class=\"visually-hidden\"> (Agroforestry × Semi-arid)</span>" in page
    login(make_user(Role.CONTRIBUTOR))
    form = client.get(gap.replace("&amp;", "&")).text
    assert re.search(r'name="practice_groups" value="agroforestry" checked', form)
    assert re.search(r'name="agro_climatic_zones" value="semi-arid" checked', form)
    assert not re.search(r'name="agro_climatic_zones" value="humid" checked', form)


def test_filters_narrow_the_numbers_and_stay_in_every_link(client, wiki):
    page = client.get("/dashboard?country=FR&year_from=2000").text
    assert headline_number(page, "Published sheets") == "1"
    assert 'href="/dashboard/sheets-by-source.csv?country=FR&amp;year_from=2000"' in page
    assert '<option value="FR" selected>' in page
    assert 'value="2000"' in page


BAD_FILTERS = {"year_from=abc": "From year", "year_from=2020&year_to=2010": "To year",
               "region=999": "Region", "country=ZZ": "Country",
               "group=%3Cscript%3E": "Practice group"}


def test_a_bad_filter_is_a_400_that_names_it(client):
    for query, named in BAD_FILTERS.items():
        for path in ("/dashboard", "/dashboard/sheets-by-source",
                     "/dashboard/sheets-by-source.csv", "/dashboard/sheets-by-source.json"):
            response = client.get(f"{path}?{query}")
            assert response.status_code == 400, (path, query)
            assert f"{named}:" in response.text
            assert "<script>" not in response.text


def test_an_unknown_figure_is_not_found(client):
    for path in ("/dashboard/nothing-here", "/dashboard/nothing-here.csv"):
        assert client.get(path).status_code == 404


def test_figure_page_has_its_chart_numbers_downloads_and_embed_code(client, wiki):
    page = client.get("/dashboard/sheets-by-country?country=BF")
    assert page.status_code == 200
    text = page.text
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart chart--choropleth"' in text
    assert "<th scope=\"row\">Burkina Faso</th>" in text  # the numbers, as a table
    assert 'href="/dashboard/sheets-by-country.json?country=BF"' in text
    assert '&lt;iframe src="http://localhost/dashboard/sheets-by-country?' in text
    assert "embed=1" in text and " style=" not in text


def test_downloads_carry_exactly_the_figure_behind_the_chart(client, wiki, app, session):
    csv_answer = client.get("/dashboard/sheets-by-country.csv")
    assert csv_answer.mimetype == "text/csv"
    assert "attachment" in csv_answer.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(csv_answer.text)))
    assert {row[-1] for row in rows[1:]} == {"1"}
    assert {"Burkina Faso", "France"} <= {cell for row in rows for cell in row}
    answer = client.get("/dashboard/sheets-by-country.json")
    with app.test_request_context():
        expected = dashboard.figure_json(dashboard.figure(
            session, None, "sheets-by-country", dashboard.Filters()))
    assert json.loads(answer.text) == json.loads(json.dumps(expected))


def test_only_embeds_may_be_framed(client, wiki):
    embed = client.get("/dashboard/coverage-agro-climatic?embed=1")
    assert embed.status_code == 200
    assert "frame-ancestors *" in embed.headers["Content-Security-Policy"]
    assert "X-Frame-Options" not in embed.headers
    assert 'class="site-header"' not in embed.text  # no page chrome
    assert '<base target="_blank">' in embed.text  # links leave the frame
    assert 'class="chart chart--matrix"' in embed.text
    for path in ("/dashboard/coverage-agro-climatic", "/dashboard/coverage-agro-climatic?embed=0",
                 "/practices/"):
        response = client.get(path)
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"], path
        assert response.headers["X-Frame-Options"] == "DENY", path


def test_review_queue_counts_only_what_the_viewer_may_see(client, make_sheet, make_user, login):
    author = make_user(Role.CONTRIBUTOR)
    make_sheet("Waiting sheet", author=author, status="in_review")
    assert "Waiting sheet" not in client.get("/dashboard/review-queue").text
    login(make_user(Role.MODERATOR))
    assert 'Waiting sheet</a>' in client.get("/dashboard/review-queue").text


def test_dashboard_speaks_french_and_spanish(client, wiki):
    for lang, words in (("fr", ("Tableau de bord", "Connaissances", "Afficher les chiffres")),
                        ("es", ("Panel", "Conocimiento", "Mostrar las cifras"))):
        text = client.get(f"/dashboard?lang={lang}").text
        for word in words:
            assert word in text, (lang, word)


def test_a_card_is_drawn_once_per_figure_and_forgotten_with_it():
    store, drawings = CardStore(), []

    def draw():
        drawings.append(1)
        return Markup("<article>…</article>")

    figure = dashboard.Figure("sheets-by-source", "knowledge", "Sources", "", "bars", (), ())
    assert store.get(figure, ("h3", True), draw) == store.get(figure, ("h3", True), draw)
    assert len(drawings) == 1  # the same figure object (same data, filters and language)
    store.get(figure, ("h1", False), draw)  # alone on its page: another card
    same_numbers = dashboard.Figure("sheets-by-source", "knowledge", "Sources", "", "bars", (),
                                    ())
    store.get(same_numbers, ("h3", True), draw)  # built afresh: drawn afresh
    assert len(drawings) == 3 and len(store) == 3
    del figure, same_numbers
    gc.collect()
    assert len(store) == 0


def test_a_change_shows_on_the_next_request_also_from_the_cached_page(client, wiki, make_sheet):
    first = client.get("/dashboard", headers={"Accept-Encoding": "gzip"})
    assert first.headers["Content-Encoding"] == "gzip"
    assert headline_number(gzip.decompress(first.data).decode(), "Published sheets") == "2"
    again = client.get("/dashboard")  # the same page, from the cache, not compressed
    assert headline_number(again.text, "Published sheets") == "2"
    make_sheet("Half-moons", countries=["BF"])
    assert headline_number(client.get("/dashboard").text, "Published sheets") == "3"
