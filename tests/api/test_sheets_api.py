"""Sheets through the API: search with the search page's filters, detail with ETags,
revisions, create, update with base_revision (409 when stale), transitions, pages."""

import re

from sqlmodel import func, select

from practices.models import Revision, Sheet
from tests.api.conftest import assert_error


def links(response) -> dict[str, str]:
    """rel -> URL from a Link header."""
    return {rel: url for url, rel in re.findall(r'<([^>]+)>; rel="(\w+)"',
                                                response.headers.get("Link", ""))}


def test_list_filters_like_the_search_page(client, make_sheet):
    make_sheet("Parkland trees", practice_groups=["agroforestry"],
               agro_climatic_zones=["semi-arid"], countries=["BF"])
    make_sheet("Humid alley cropping", practice_groups=["agroforestry"],
               agro_climatic_zones=["humid"])
    make_sheet("Semi-arid stone lines", practice_groups=["cross-slope-measure"],
               agro_climatic_zones=["semi-arid"])

    response = client.get("/api/v1/practices?agro_climatic_zone=semi-arid"
                          "&practice_group=agroforestry")

    assert response.status_code == 200
    body = response.get_json()
    assert [item["title"] for item in body["items"]] == ["Parkland trees"]
    assert body["total"] == 1
    item = body["items"][0]
    assert item["terms"]["countries"] == ["BF"] and item["terms"]["regions"] == ["western-africa"]
    assert item["url"] == "/api/v1/practices/parkland-trees"
    # facet counts ignore their own facet's filter, as on the search page
    assert body["facets"]["agro_climatic_zone"] == {"semi-arid": 1, "humid": 1}
    html = client.get("/practices/?agro_climatic_zone=semi-arid&practice_group=agroforestry")
    assert "Parkland trees" in html.text and "Semi-arid stone lines" not in html.text


def test_words_are_searched_and_highlighted(client, make_sheet):
    make_sheet("Zai pits", body="Pits dug in crusted soils hold runoff.")
    make_sheet("Mulching", body="Crop residues cover the soil.")

    body = client.get("/api/v1/search?q=runoff").get_json()

    assert [item["slug"] for item in body["items"]] == ["zai-pits"]
    assert ">runoff</mark>" in body["items"][0]["highlight"]["snippet_html"]


def test_unknown_facet_value_is_refused_not_ignored(client):
    body = assert_error(client.get("/api/v1/practices?agro_climatic_zone=tundra"), 400,
                        "invalid_parameters")
    assert "agro_climatic_zone.0" in body["error"]["fields"]
    assert_error(client.get("/api/v1/practices?agro_climatic_zones=arid"), 400)  # a typo


def test_pages_have_link_headers(client, make_sheet):
    for number in range(5):
        make_sheet(f"Sheet {number}")

    first = client.get("/api/v1/practices?per_page=2&sort=updated")
    middle = client.get("/api/v1/practices?per_page=2&sort=updated&page=2")
    last = client.get("/api/v1/practices?per_page=2&sort=updated&page=3")

    assert middle.get_json()["pages"] == 3 and middle.get_json()["total"] == 5
    assert set(links(first)) == {"first", "next", "last"}
    assert links(middle) == {
        "first": "http://localhost/api/v1/practices?per_page=2&sort=updated",
        "prev": "http://localhost/api/v1/practices?per_page=2&sort=updated",
        "next": "http://localhost/api/v1/practices?per_page=2&sort=updated&page=3",
        "last": "http://localhost/api/v1/practices?per_page=2&sort=updated&page=3"}
    assert set(links(last)) == {"first", "prev", "last"}
    seen = [item["slug"] for page in (first, middle, last) for item in page.get_json()["items"]]
    assert sorted(seen) == [f"sheet-{number}" for number in range(5)]
    following = client.get(links(first)["next"])
    assert following.get_json()["items"] == middle.get_json()["items"]


def test_revisions_are_paged_newest_first(client, session, make_sheet, make_user, make_token):
    sheet = make_sheet("Cover crops")
    headers = make_token(make_user())
    for number in range(1, 4):
        client.put("/api/v1/practices/cover-crops", headers=headers, json={
            "title": "Cover crops", "body": f"Version {number + 1}", "base_revision": number})

    response = client.get("/api/v1/practices/cover-crops/revisions?per_page=3")

    body = response.get_json()
    assert [item["number"] for item in body["items"]] == [4, 3, 2]
    assert body["total"] == 4 and links(response)["next"].endswith("per_page=3&page=2")
    old = client.get("/api/v1/practices/cover-crops/revisions/1").get_json()
    assert old["title"] == "Cover crops" and old["body"] == ""
    assert client.get(f"/api/v1/practices/{sheet.slug}/revisions/9").status_code == 404


def test_detail_has_fields_provenance_and_etag_revalidation(client, make_sheet, make_user,
                                                            make_token):
    make_sheet("Zai pits", summary="Planting pits.", countries=["BF"],
               soc_change_t_c_ha_yr=0.4, references=[{"citation": "Roose 1999"}])

    first = client.get("/api/v1/practices/zai-pits")

    body = first.get_json()
    assert body["fields"] == {"countries": ["BF"], "soc_change_t_c_ha_yr": 0.4,
                              "references": [{"citation": "Roose 1999", "url": None}]}
    assert body["provenance"]["source"] == "local" and body["revision"]["number"] == 1
    etag = first.headers["ETag"]
    unchanged = client.get("/api/v1/practices/zai-pits", headers={"If-None-Match": etag})
    assert unchanged.status_code == 304 and unchanged.data == b""

    client.put("/api/v1/practices/zai-pits", headers=make_token(make_user()), json={
        "title": "Zai pits", "summary": "Planting pits with manure.", "base_revision": 1})
    changed = client.get("/api/v1/practices/zai-pits", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert changed.get_json()["summary"] == "Planting pits with manure."


def test_stale_update_gets_409_with_the_current_revision_and_saves_nothing(
        client, session, make_sheet, make_user, make_token):
    sheet = make_sheet("Alley cropping", body="First.")
    alice, bob = make_token(make_user(name="Alice")), make_token(make_user(name="Bob"))
    saved = client.put("/api/v1/practices/alley-cropping", headers=alice, json={
        "title": "Alley cropping", "body": "Alice's version.", "base_revision": 1})
    assert saved.status_code == 200 and saved.get_json()["revision"]["number"] == 2

    stale = client.put("/api/v1/practices/alley-cropping", headers=bob, json={
        "title": "Alley cropping", "body": "Bob's version.", "base_revision": 1})

    body = assert_error(stale, 409, "stale_revision")
    assert body["current_revision"]["number"] == 2
    assert body["current_revision"]["body"] == "Alice's version.\n"
    assert body["current_revision"]["author"] == {"name": "Alice"}
    session.expire_all()
    assert session.get(Sheet, sheet.id).title == "Alley cropping"
    assert len(session.exec(select(Revision).where(Revision.sheet_id == sheet.id)).all()) == 2
    retried = client.put("/api/v1/practices/alley-cropping", headers=bob, json={
        "title": "Alley cropping", "body": "Bob's version.", "base_revision": 2})
    assert retried.get_json()["revision"]["number"] == 3


def test_unchanged_update_stores_no_revision(client, make_sheet, make_user, make_token):
    make_sheet("Alley cropping", body="Same.")
    response = client.put("/api/v1/practices/alley-cropping", headers=make_token(make_user()),
                          json={"title": "Alley cropping", "body": "Same.", "base_revision": 1})
    assert response.status_code == 200 and response.get_json()["revision"]["number"] == 1


def test_contributor_creates_a_draft_seen_by_their_organisation_only(
        client, make_user, make_organization, make_token):
    home = make_organization("Home")
    author = make_user(organization=home)
    response = client.post("/api/v1/practices", headers=make_token(author), json={
        "title": "Demi-lunes", "summary": "Half-moon basins.",
        "fields": {"agro_climatic_zones": ["semi-arid"], "countries": ["NE"],
                   "locations": [[2.1, 13.5]], "impacts": {"soil_organic_matter": 2}}})

    assert response.status_code == 201
    assert response.headers["Location"] == "/api/v1/practices/demi-lunes"
    body = response.get_json()
    assert body["status"] == "draft" and body["organization"]["name"] == "Home"
    assert body["fields"]["locations"] == [[2.1, 13.5]]
    colleague = make_token(make_user(organization=home))
    stranger = make_token(make_user(organization=make_organization("Elsewhere")))
    assert client.get("/api/v1/practices/demi-lunes", headers=colleague).status_code == 200
    assert_error(client.get("/api/v1/practices/demi-lunes", headers=stranger), 404)
    assert_error(client.get("/api/v1/practices/demi-lunes"), 404)
    listed = client.get("/api/v1/practices", headers=colleague).get_json()
    assert [item["slug"] for item in listed["items"]] == ["demi-lunes"]
    assert client.get("/api/v1/practices").get_json()["items"] == []


def test_domain_rules_come_back_as_field_errors(client, make_user, make_token, session):
    response = client.post("/api/v1/practices", headers=make_token(make_user()), json={
        "title": "Rain", "fields": {"rainfall_mm_min": 900, "rainfall_mm_max": 300,
                                    "practice_groups": ["agroforestry", "cross-slope-measure",
                                                        "improved-ground-cover",
                                                        "integrated-soil-fertility"]}})
    body = assert_error(response, 422, "invalid_fields")
    assert set(body["error"]["fields"]) == {"fields.rainfall_mm_max", "fields.practice_groups"}
    assert session.exec(select(func.count()).select_from(Sheet)).one() == 0


def test_slug_taken_is_a_conflict(client, make_sheet, make_user, make_token):
    make_sheet("Zai pits")
    response = client.post("/api/v1/practices", headers=make_token(make_user()),
                           json={"title": "Zai pits"})
    assert assert_error(response, 409, "slug_taken")["error"]["fields"] == {
        "slug": "Already used by another sheet."}


def test_an_address_the_wiki_uses_is_refused_on_the_slug_field(client, session, make_sheet,
                                                               make_user, make_token):
    from practices.models import Role

    headers = make_token(make_user(Role.MODERATOR))
    answer = client.post("/api/v1/practices", headers=headers, json={"title": "Mulch",
                                                                     "slug": "new"})
    assert assert_error(answer, 422, "invalid_fields")["error"]["fields"] == {
        "slug": "The address new is reserved for a page of the wiki; choose another."}
    assert session.exec(select(func.count()).select_from(Sheet)).one() == 0
    make_sheet("Zai pits")
    answer = client.put("/api/v1/practices/zai-pits", headers=headers, json={
        "title": "Zai pits", "slug": "new", "base_revision": 1})
    assert set(assert_error(answer, 422, "invalid_fields")["error"]["fields"]) == {"slug"}
    assert client.get("/api/v1/practices/zai-pits").status_code == 200


def test_a_sheet_titled_new_gets_an_address_of_its_own(client, make_user, make_token):
    answer = client.post("/api/v1/practices", headers=make_token(make_user()),
                         json={"title": "New"})
    assert answer.status_code == 201 and answer.get_json()["slug"] == "new-2"


def test_a_title_of_invisible_characters_is_refused_as_empty(client, session, make_user,
                                                             make_token):
    answer = client.post("/api/v1/practices", headers=make_token(make_user()),
                         json={"title": "\u200b\ufeff\u202e"})
    assert assert_error(answer, 422, "invalid_fields")["error"]["fields"] == {
        "title": "A sheet needs a title."}
    assert session.exec(select(func.count()).select_from(Sheet)).one() == 0


def test_review_transitions(client, make_user, make_token, make_organization):
    from practices.models import Role

    author = make_token(make_user(organization=make_organization()))
    moderator = make_token(make_user(Role.MODERATOR))
    client.post("/api/v1/practices", headers=author, json={"title": "Stone lines"})

    submitted = client.post("/api/v1/practices/stone-lines/submit", headers=author)
    assert submitted.get_json()["status"] == "in_review"
    assert_error(client.post("/api/v1/practices/stone-lines/publish", headers=author), 403)
    refused = client.post("/api/v1/practices/stone-lines/return", headers=moderator, json={})
    assert assert_error(refused, 422)["error"]["fields"]["comment"]
    returned = client.post("/api/v1/practices/stone-lines/return", headers=moderator,
                           json={"comment": "Add sources."})
    assert returned.get_json()["status"] == "draft"
    published = client.post("/api/v1/practices/stone-lines/publish", headers=moderator)
    assert published.get_json()["status"] == "published"
    assert client.get("/api/v1/practices/stone-lines").status_code == 200


def test_detail_links_the_translations_the_reader_may_see(client, session, make_sheet):
    original = make_sheet("Zai pits", language="en")
    french = make_sheet("Le zaï", language="fr")
    spanish = make_sheet("Zai en borrador", language="es", status="draft")
    french.translation_of_id = spanish.translation_of_id = original.id
    session.commit()

    body = client.get("/api/v1/practices/zai-pits").get_json()
    assert body["translations"] == [{"slug": "le-zai", "language": "fr", "title": "Le zaï",
                                     "url": "/api/v1/practices/le-zai"}]
    assert client.get("/api/v1/practices/le-zai").get_json()["translation_of"] == "zai-pits"
