"""Notifications in the browser: the bell, the inbox, watch buttons, feeds and e-mail."""

import re
import socket
import xml.etree.ElementTree as ET
from email.header import decode_header, make_header

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message

from practices import sheets

ATOM = "{http://www.w3.org/2005/Atom}"


def edit(session, sheet, author, body: str, summary: str = "edit"):
    content = sheets.Content.checked(title=sheet.title, summary="", body=body, fields={})
    sheets.revise(session, sheet, content, author=author,
                  base_revision_id=sheet.current_revision_id, edit_summary=summary)
    session.commit()


def test_the_bell_counts_and_the_inbox_leads_to_the_change(client, session, login, make_user,
                                                          make_sheet):
    author, editor = make_user(), make_user(name="Awa Traoré")
    sheet = make_sheet(title="Half moons", author=author, body="Dig.")
    edit(session, sheet, editor, "Dig crescents.", "crescent shape")
    login(author)
    home = client.get("/").text
    assert re.search(r'class="bell__count">1<', home)
    inbox = client.get("/notifications").text
    assert "Awa Traoré edited “Half moons”" in inbox and "crescent shape" in inbox
    link = re.search(r'href="(/notifications/\d+)"', inbox).group(1)
    with client.get(link) as response:
        assert response.status_code == 303
        assert response.location.endswith(f"/practices/{sheet.slug}/diff/1/2")
    assert "bell__count" not in client.get("/").text


def test_mark_all_read(client, session, login, make_user, make_sheet):
    author, editor = make_user(), make_user()
    sheet = make_sheet(title="Stone lines", author=author, body="Lay.")
    edit(session, sheet, editor, "Lay stones.")
    login(author)
    client.post("/notifications/read").close()
    assert "0 unread" in client.get("/notifications").text


def test_someone_elses_notification_cannot_be_opened(client, session, login, make_user,
                                                     make_sheet):
    author, editor, other = make_user(), make_user(), make_user()
    sheet = make_sheet(title="Grass strips", author=author, body="Sow.")
    edit(session, sheet, editor, "Sow vetiver.")
    login(author)
    link = re.search(r'href="(/notifications/\d+)"', client.get("/notifications").text)[1]
    client.post("/logout").close()
    login(other)
    assert client.get(link).status_code == 404


def test_watch_and_unwatch_from_the_sheet_page(client, login, make_user, make_sheet):
    sheet = make_sheet(title="Riparian buffers")
    login(make_user())
    page = client.get(f"/practices/{sheet.slug}").text
    assert "☆</span> Watch" in page
    form = {"target": "sheet", "target_id": str(sheet.id), "next": f"/practices/{sheet.slug}"}
    with client.post("/watch", data=form) as response:
        assert response.status_code == 303
    assert "★</span> Watching" in client.get(f"/practices/{sheet.slug}").text
    assert "Riparian buffers" in client.get("/notifications").text  # in "Sheets you watch"
    client.post("/unwatch", data=form).close()
    assert "☆</span> Watch" in client.get(f"/practices/{sheet.slug}").text


def test_a_draft_one_may_not_see_cannot_be_watched(client, login, make_user, make_sheet):
    draft = make_sheet(title="Secret draft", status="draft")
    login(make_user())
    response = client.post("/watch", data={"target": "sheet", "target_id": str(draft.id)})
    assert response.status_code == 400


def test_the_private_feed_lists_notifications_behind_a_secret_address(
        client, session, login, make_user, make_sheet):
    author, editor = make_user(), make_user(name="Kofi")
    sheet = make_sheet(title="Cocoa shade", author=author, body="Trees.")
    edit(session, sheet, editor, "Shade trees.", "more shade")
    login(author)
    address = re.search(r'value="http://localhost(/feeds/user/[^"]+\.atom)"',
                        client.get("/notifications").text)[1]
    client.post("/logout").close()
    with client.get(address) as response:  # feed readers do not sign in
        assert response.status_code == 200
        feed = ET.fromstring(response.data)
    titles = [entry.findtext(f"{ATOM}title") for entry in feed.iter(f"{ATOM}entry")]
    assert titles == ["Kofi edited “Cocoa shade”"]
    login(author)
    client.post("/notifications/settings", data={"action": "new-feed-key"}).close()
    assert client.get(address).status_code == 404


def test_a_sheet_feed_has_its_revisions_and_drafts_have_none(client, session, make_user,
                                                            make_sheet):
    sheet = make_sheet(title="Alley cropping", body="Rows.")
    edit(session, sheet, make_user(), "Rows of walnut.", "walnut")
    feed = ET.fromstring(client.get(f"/feeds/practices/{sheet.slug}.atom").data)
    summaries = [entry.findtext(f"{ATOM}summary") for entry in feed.iter(f"{ATOM}entry")]
    assert summaries[0] == "walnut"
    draft = make_sheet(title="Unpublished", status="draft")
    assert client.get(f"/feeds/practices/{draft.slug}.atom").status_code == 404


# E-mail ------------------------------------------------------------------------------------


class Inbox(Message):
    def __init__(self):
        super().__init__()
        self.messages = []

    def handle_message(self, message):
        self.messages.append(message)


@pytest.fixture
def smtp_server():
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield controller, handler
    controller.stop()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _edit_through_the_page(client, sheet, body: str):
    form = client.get(f"/practices/{sheet.slug}/edit").text
    base = re.search(r'name="base_revision_id" value="(\d+)"', form)[1]
    return client.post(f"/practices/{sheet.slug}/edit", data={
        "title": sheet.title, "body": body, "base_revision_id": base, "slug": sheet.slug,
        "edit_summary": "by mail", "action": "save"})


def test_watchers_get_an_email_when_smtp_is_configured(app, client, login, make_user,
                                                       make_sheet, smtp_server):
    controller, handler = smtp_server
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=controller.port)
    author = make_user()
    sheet = make_sheet(title="Cover crops", author=author, body="Rye.")
    login(make_user(name="Editor Eve"))
    assert _edit_through_the_page(client, sheet, "Rye and vetch.").status_code == 303
    assert len(handler.messages) == 1
    mail = handler.messages[0]
    assert mail["To"] == author.email
    subject = str(make_header(decode_header(mail["Subject"])))
    assert subject == "[practice-wiki] Editor Eve edited “Cover crops”"
    assert f"/practices/{sheet.slug}/diff/1/2" in mail.get_payload(decode=True).decode()


def test_no_email_for_those_who_switched_it_off(app, client, login, make_user, make_sheet,
                                                smtp_server):
    controller, handler = smtp_server
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=controller.port)
    author = make_user()
    sheet = make_sheet(title="Biochar", author=author, body="Char.")
    login(author)
    client.post("/notifications/settings", data={}).close()  # the box unticked
    client.post("/logout").close()
    login(make_user())
    _edit_through_the_page(client, sheet, "Char and compost.").close()
    assert handler.messages == []


def test_a_mail_server_that_is_down_never_costs_the_edit(app, client, login, make_user,
                                                         make_sheet):
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=_free_port())  # nobody listens
    sheet = make_sheet(title="Windbreaks", body="Trees.")
    login(make_user())
    with _edit_through_the_page(client, sheet, "Rows of trees.") as response:
        assert response.status_code == 303
    assert "Rows of trees." in client.get(f"/practices/{sheet.slug}").text
