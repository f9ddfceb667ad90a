"""Organisation profiles, the directory and measures through the web and the API (issue 14):
who may edit what, drafts never shown to those who may not see them, GeoJSON = database."""

import io
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image
from sqlmodel import select

from practices import measures, profiles
from practices.models import AuditEvent, Measure, Organization, Role
from wiki import map_layers

NO_TILL = {
    "land_use": "cropland",
    "climate_zone": "cool-temperate-moist",
    "soil_class": "high-activity-clay",
    "baseline": ["long-term-cultivated", "full-tillage", "medium-input"],
    "practice": ["long-term-cultivated", "no-till", "medium-input"],
}


@pytest.fixture
def partner(session, make_organization, make_user, make_college):
    organization = make_organization("Sahel Soils")
    manager = make_user(organization=organization)
    moderator = make_user(Role.MODERATOR)
    make_college("Research and education")
    profiles.grant_manager(session, organization, manager, actor=moderator)
    session.commit()
    return organization, manager, moderator


def profile_form(**changes) -> dict:
    form = {
        "standing": "member-of-the-consortium",
        "colleges": ["college-"],
        "country": "BF",
        "locations": "12.37, -1.52",
        "description": "We **restore** soils.",
        "website": "https://sahel.example.org",
        "edit_summary": "first profile",
    }
    form.update(changes)
    return form


def base_of(client, organization) -> str:
    """The revision the profile's edit form starts from, as a browser sends it back."""
    form = client.get(f"/organizations/{organization.slug}/edit").text
    return re.search(r'name="base_revision" value="(\d+)"', form).group(1)


def test_a_manager_fills_in_the_profile_and_every_change_is_a_revision(
    client, session, partner, login
):
    organization, manager, _moderator = partner
    college = session.exec(select(profiles.College)).first()
    login(manager)
    response = client.post(
        f"/organizations/{organization.slug}/edit",
        data=profile_form(
            colleges=[college.slug], description="We **restore** soils.<script>alert(1)</script>",
            base_revision=base_of(client, organization),
        ),
    )
    assert response.status_code == 303
    page = client.get(f"/organizations/{organization.slug}").text
    assert "Member of the Consortium" in page and "Research and education" in page
    assert "<strong>restore</strong>" in page and "<script>alert" not in page
    assert "Burkina Faso" in page
    client.post(
        f"/organizations/{organization.slug}/edit",
        data=profile_form(
            colleges=[college.slug], standing="partner-of-the-forum", edit_summary="now forum",
            base_revision=base_of(client, organization),
        ),
    )
    history = client.get(f"/organizations/{organization.slug}/history").text
    assert "now forum" in history and "first profile" in history
    diff = client.get(f"/organizations/{organization.slug}/diff/1/2").text
    assert "Consortium" in diff and "Forum" in diff
    session.expire_all()
    actions = list(
        session.exec(
            select(AuditEvent.action).where(
                AuditEvent.target_type == "organization", AuditEvent.target_id == organization.id
            )
        )
    )
    assert actions.count("organization.profile") == 2


def test_bad_profile_input_is_a_clear_422(client, partner, login):
    organization, manager, _moderator = partner
    login(manager)
    response = client.post(
        f"/organizations/{organization.slug}/edit",
        data=profile_form(
            standing="emperor", locations="north of here", website="javascript:alert(1)"
        ),
    )
    assert response.status_code == 422
    assert "Choose a standing from the list." in response.text
    assert "javascript:alert(1)" not in client.get(f"/organizations/{organization.slug}").text


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "green").save(buffer, "PNG")
    return buffer.getvalue()


def test_the_logo_goes_through_the_upload_checks(client, partner, login):
    organization, manager, _moderator = partner
    login(manager)
    refused = client.post(
        f"/organizations/{organization.slug}/edit",
        data={**profile_form(colleges=[]), "logo": (io.BytesIO(b"<svg onload=x>"), "logo.png")},
        content_type="multipart/form-data",
    )
    assert refused.status_code == 422 and "not a PNG, JPEG, GIF or WebP" in refused.text
    accepted = client.post(
        f"/organizations/{organization.slug}/edit",
        data={**profile_form(colleges=[], base_revision=base_of(client, organization)),
              "logo": (io.BytesIO(png()), "logo.png")},
        content_type="multipart/form-data",
    )
    assert accepted.status_code == 303
    page = client.get(f"/organizations/{organization.slug}").text
    logo = re.search(r'class="stand-head__logo" src="(/uploads/[^"?]+)', page)
    assert logo, "the profile shows the logo"
    assert client.get(logo.group(1)).data == png()  # from the upload store, like any upload


def test_another_organisations_manager_cannot_edit_the_profile_or_its_measures(
    client, session, partner, make_organization, make_user, login
):
    organization, manager, moderator = partner
    measure = measures.create(session, organization, {"title": "Mulch"}, author=manager)
    other = make_organization("Elsewhere")
    outsider = make_user(organization=other)
    profiles.grant_manager(session, other, outsider, actor=moderator)
    session.commit()
    assert client.get(f"/organizations/{organization.slug}/edit").status_code == 302  # sign in
    login(outsider)
    assert client.get(f"/organizations/{organization.slug}/edit").status_code == 403
    assert (
        client.post(
            f"/organizations/{organization.slug}/edit", data=profile_form(colleges=[])
        ).status_code
        == 403
    )
    assert client.get(f"/organizations/{organization.slug}/measures/new").status_code == 403
    assert client.get(f"/measures/{measure.id}").status_code == 404  # another's draft
    assert (
        client.post(
            f"/organizations/{other.slug}/managers", data={"email": outsider.email}
        ).status_code
        == 403
    )  # no self-granting
    assert client.get(f"/organizations/{other.slug}/edit").status_code == 200


def test_manager_records_a_measure_moderator_publishes_then_everyone_sees_it(
    client, session, partner, make_sheet, login
):
    organization, manager, moderator = partner
    make_sheet("No-till farming", organization=organization)
    login(manager)
    response = client.post(
        f"/organizations/{organization.slug}/measures/new",
        data={
            "title": "No-till in the Beauce",
            "sheets": "no-till-farming",
            "status": "ongoing",
            "country": "FR",
            "locations": "48.3, 1.5",
            "area_ha": "100",
            "start_year": "2021",
            "edition": "2019",
            "action": "submit",
            **NO_TILL,
        },
    )
    assert response.status_code == 303, response.text
    measure = session.exec(select(Measure)).one()
    assert measure.state == "in_review"
    page = client.get(f"/measures/{measure.id}").text
    assert "+25.5" in page and "No-till farming" in page
    client.post("/logout")
    assert client.get(f"/measures/{measure.id}").status_code == 404
    assert client.get("/api/v1/measures").get_json()["items"] == []
    login(moderator)
    assert client.post(f"/measures/{measure.id}/publish").status_code == 303
    client.post("/logout")
    assert client.get(f"/measures/{measure.id}").status_code == 200
    items = client.get(f"/api/v1/organizations/{organization.slug}/measures").get_json()["items"]
    assert [(item["title"], item["estimated_t_c_yr"]) for item in items] == [
        ("No-till in the Beauce", pytest.approx(25.515))
    ]


def test_drafts_never_reach_the_map_the_api_or_the_geojson(client, session, partner, login):
    organization, manager, moderator = partner
    draft = measures.create(
        session, organization, {"title": "Secret draft", "locations": [[1, 2]]}, author=manager
    )
    shown = measures.create(
        session, organization, {"title": "Public one", "locations": [[3, 4]]}, author=manager
    )
    measures.publish(session, shown, actor=moderator)
    session.commit()

    def seen() -> tuple[set, set, bool]:
        layer = client.get("/api/v1/map/features?layer=measures").get_json()["features"]
        api = client.get("/api/v1/measures").get_json()["items"]
        page = client.get("/map").text
        return (
            {f["properties"]["name"] for f in layer},
            {item["title"] for item in api},
            "Secret draft" in page
            or "Secret draft" in client.get(f"/organizations/{organization.slug}").text,
        )

    assert seen() == ({"Public one"}, {"Public one"}, False)  # anonymous (and cached)
    login(manager)
    assert seen() == ({"Public one", "Secret draft"}, {"Public one", "Secret draft"}, True)
    client.post("/logout")
    assert seen() == ({"Public one"}, {"Public one"}, False)
    assert draft.state == "draft"


def test_the_directory_filters_by_standing_college_country_and_region(
    client, session, partner, make_organization
):
    organization, manager, moderator = partner
    college = session.exec(select(profiles.College)).first()
    profiles.revise(
        session,
        organization,
        {"standing": "member-of-the-consortium", "colleges": [college.slug], "country": "BF"},
        author=moderator,
    )
    other = make_organization("Andes Carbon")
    profiles.revise(
        session, other, {"standing": "partner-of-the-forum", "country": "PE"}, author=moderator
    )
    session.commit()

    def names(query: str) -> list[str]:
        page = client.get(f"/organizations/?{query}").text
        return [name for name in ("Sahel Soils", "Andes Carbon") if f">{name}</a>" in page]

    assert names("") == ["Sahel Soils", "Andes Carbon"]
    assert names("standing=partner-of-the-forum") == ["Andes Carbon"]
    assert names(f"college={college.slug}") == ["Sahel Soils"]
    assert names("country=PE") == ["Andes Carbon"]
    assert names("region=western-africa") == ["Sahel Soils"]
    assert names("region=nowhere&country=%00") == []


# GeoJSON = database, for random data and filters ------------------------------------------

STANDINGS = [term.code for term in profiles.STANDINGS] + [None]
COUNTRIES = ["BF", "FR", "PE", None]


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    orgs=st.lists(
        st.tuples(
            st.sampled_from(STANDINGS), st.sampled_from(COUNTRIES), st.booleans(), st.integers(0, 2)
        ),
        min_size=1,
        max_size=5,
    ),
    states=st.lists(st.sampled_from(["draft", "in_review", "published"]), max_size=6),
    standing=st.sampled_from(STANDINGS),
    country=st.sampled_from(COUNTRIES),
)
def test_geojson_features_equal_the_database(
    app, client, session, make_organization, make_user, orgs, states, standing, country
):
    from tests.conftest import empty_tables

    session.rollback()  # release its locks: PostgreSQL's TRUNCATE would wait for them
    session.expunge_all()
    empty_tables(app.extensions["engine"])  # each example starts from an empty wiki
    # Ids restart after TRUNCATE, so an old generation could come back: a real wiki's ids
    # only grow (the cache's key), a test's do not.
    map_layers.forget(app)
    moderator = make_user(Role.MODERATOR)
    made = []
    for index, (org_standing, org_country, active, points) in enumerate(orgs):
        organization = make_organization(f"Org {index}")
        organization.active = active
        profiles.revise(
            session,
            organization,
            {
                "standing": org_standing,
                "country": org_country,
                "locations": [[index, point] for point in range(points)],
            },
            author=moderator,
        )
        made.append(organization)
    for index, state in enumerate(states):
        measure = measures.create(
            session,
            made[index % len(made)],
            {"title": f"Measure {index}", "country": country, "locations": [[index, -index]]},
            author=moderator,
        )
        measure.state = state
    session.commit()

    query = "".join(
        f"&{name}={value}"
        for name, value in (("standing", standing), ("country", country))
        if value
    )
    layer = client.get(f"/api/v1/map/features?layer=organizations{query}").get_json()
    expected = sorted(
        (org.slug, lon, lat)
        for org in session.exec(select(Organization))
        if org.active
        and (not standing or org.standing == standing)
        and (not country or org.country == country)
        for lon, lat in org.locations
    )
    assert (
        sorted((f["properties"]["slug"], *f["geometry"]["coordinates"]) for f in layer["features"])
        == expected
    )

    layer = client.get("/api/v1/map/features?layer=measures").get_json()
    expected = sorted(
        (m.id, *point)
        for m in session.exec(select(Measure))
        if m.state == "published"
        for point in m.locations
    )
    assert (
        sorted((f["properties"]["id"], *f["geometry"]["coordinates"]) for f in layer["features"])
        == expected
    )


def test_a_profile_saved_meanwhile_gets_the_conflict_answer_and_keeps_the_text(
        client, partner, login):
    organization, manager, _moderator = partner
    login(manager)
    form = client.get(f"/organizations/{organization.slug}/edit").text
    base = re.search(r'name="base_revision" value="(\d+)"', form).group(1)
    first = client.post(f"/organizations/{organization.slug}/edit",
                        data={**profile_form(colleges=[]), "base_revision": base})
    assert first.status_code == 303
    late = client.post(f"/organizations/{organization.slug}/edit",
                       data={**profile_form(colleges=[], description="Our own words."),
                             "base_revision": base})
    assert late.status_code == 409
    assert "Someone saved this profile while you were editing it" in late.text
    assert "Our own words." in late.text  # nothing typed is lost
    page = client.get(f"/organizations/{organization.slug}").text
    assert "Our own words." not in page and "restore" in page


def test_a_measure_located_by_an_area_is_drawn_on_the_map_and_its_hectares_computed(
    client, session, partner, login
):
    organization, manager, moderator = partner
    login(manager)
    url = f"/organizations/{organization.slug}/measures/new"
    refused = client.post(url, data={"title": "Bunds", "boundary": "0, 0\n1, 1\n1, 0\n0, 1"})
    assert refused.status_code == 422
    assert "The outline crosses itself" in refused.text and "0, 0\n1, 1" in refused.text
    assert session.exec(select(Measure)).all() == []  # nothing saved
    square = "-1.5, 12.4\n-1.491, 12.4\n-1.491, 12.409\n-1.5, 12.409"
    assert client.post(url, data={"title": "Bunds", "boundary": square}).status_code == 303
    measure = session.exec(select(Measure)).one()
    assert measure.area_ha == pytest.approx(98, abs=1)  # about 1 km × 1 km at 12° N
    page = client.get(f"/measures/{measure.id}").text
    assert "computed from the area drawn on the map" in page and "data-area=" in page
    measures.publish(session, measure, actor=moderator)
    session.commit()
    client.post("/logout")
    layer = client.get("/api/v1/map/features?layer=measures").get_json()["features"]
    assert [f["geometry"]["type"] for f in layer] == ["Polygon"]
    assert layer[0]["geometry"]["coordinates"][0][0] == [-1.5, 12.4]
    assert layer[0]["properties"] == {"id": measure.id, "name": "Bunds", "area_ha": measure.area_ha}


@pytest.mark.parametrize("sent", [{"base_revision": "abc"}, {"base_revision": "99999999999"},
                                  {}])
def test_a_profile_edit_that_does_not_say_its_base_is_a_conflict_and_saves_nothing(
        client, partner, login, sent):
    organization, manager, _moderator = partner
    login(manager)
    first = client.post(f"/organizations/{organization.slug}/edit",
                        data=profile_form(colleges=[], base_revision=base_of(client, organization)))
    assert first.status_code == 303

    late = client.post(f"/organizations/{organization.slug}/edit",
                       data={**profile_form(colleges=[], description="Our own words."), **sent})

    assert late.status_code == 409
    assert "Someone saved this profile while you were editing it" in late.text
    assert "Our own words." in late.text  # nothing typed is lost
    assert f'name="base_revision" value="{base_of(client, organization)}"' in late.text
    page = client.get(f"/organizations/{organization.slug}").text
    assert "Our own words." not in page and "restore" in page


def measure_form(**changes) -> dict:
    return {"title": "Mulch", "status": "ongoing", "edition": "2019", "area_ha": "10",
            **changes}


def measure_base(client, measure) -> str:
    form = client.get(f"/measures/{measure.id}/edit").text
    return re.search(r'name="base_revision" value="(\d+)"', form).group(1)


def measure_saved_by_someone_else(client, session, partner, login) -> tuple[Measure, str]:
    """A measure whose edit form was opened at revision `opened`, then saved (area 20 ha)
    from another copy of that form."""
    organization, manager, _moderator = partner
    measure = measures.create(session, organization, {"title": "Mulch", "area_ha": 10},
                              author=manager)
    session.commit()
    login(manager)
    opened = measure_base(client, measure)
    saved = client.post(f"/measures/{measure.id}/edit",
                        data=measure_form(area_ha="20", base_revision=opened))
    assert saved.status_code == 303
    return measure, opened


@pytest.mark.parametrize("sent", [{"base_revision": "abc"}, {"base_revision": ""}, {}])
def test_a_measure_edit_that_does_not_say_its_base_is_a_conflict_and_saves_nothing(
        client, session, partner, login, sent):
    measure, _opened = measure_saved_by_someone_else(client, session, partner, login)

    late = client.post(f"/measures/{measure.id}/edit", data={**measure_form(area_ha="30"), **sent})

    assert late.status_code == 409
    assert "Someone saved this measure while you were editing it" in late.text
    assert 'value="30"' in late.text  # nothing typed is lost
    assert f'name="base_revision" value="{measure_base(client, measure)}"' in late.text
    session.expire_all()
    assert session.get(Measure, measure.id).area_ha == 20


def test_a_measure_form_refused_for_its_fields_keeps_the_base_it_was_sent_with(
        client, session, partner, login):
    """Brought up to date with the fields' errors, the base would let the corrected edit
    overwrite what someone saved meanwhile."""
    measure, opened = measure_saved_by_someone_else(client, session, partner, login)

    refused = client.post(f"/measures/{measure.id}/edit",
                          data=measure_form(title="", area_ha="30", base_revision=opened))
    assert refused.status_code == 422
    assert f'name="base_revision" value="{opened}"' in refused.text
    corrected = client.post(f"/measures/{measure.id}/edit",
                            data=measure_form(area_ha="30", base_revision=opened))

    assert corrected.status_code == 409
    session.expire_all()
    assert session.get(Measure, measure.id).area_ha == 20


@pytest.mark.parametrize("action", ["promote", ""])
def test_an_unknown_manager_action_is_refused_and_changes_nothing(
        client, session, partner, make_user, login, action):
    organization, _manager, moderator = partner
    member = make_user(organization=organization)
    login(moderator)

    refused = client.post(f"/organizations/{organization.slug}/managers",
                          data={"email": member.email, "action": action})

    assert refused.status_code == 400
    assert "This form asked for something the page does not offer." in refused.text
    session.expire_all()
    assert member.id not in {user.id for user in profiles.managers(session, organization)}
