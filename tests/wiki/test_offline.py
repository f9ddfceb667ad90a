"""What the service worker may keep: only sheet pages rendered for an anonymous reader."""


def test_only_anonymous_sheet_pages_are_marked_for_offline_reading(client, login, make_user,
                                                                    make_sheet):
    sheet = make_sheet("Stone lines")
    anonymous = client.get(f"/practices/{sheet.slug}")
    assert anonymous.headers.get("X-Offline") == "public"
    assert "csrf_token" not in anonymous.text  # no form worth a token is ever stored
    assert "X-Offline" not in client.get("/practices/").headers
    login(make_user())
    assert "X-Offline" not in client.get(f"/practices/{sheet.slug}").headers


def test_the_app_is_installable(client):
    manifest = client.get("/manifest.webmanifest")
    assert manifest.mimetype == "application/manifest+json"
    assert manifest.json["display"] == "standalone" and manifest.json["icons"]
    worker = client.get("/sw.js")
    assert worker.mimetype == "text/javascript" and "X-Offline" in worker.text
    assert 'rel="manifest"' in client.get("/").text
