"""Discussion pages, comment moderation and endorsements through HTTP; no restricted thread
leaks through pages, feeds or search."""

import re

import pytest

from practices import discussions, endorsements, sheets
from practices.models import Comment, Role, Thread


@pytest.fixture
def setting(session, make_user, make_college, make_sheet):
    author, member = make_user(name="Awa"), make_user(name="Ben")
    moderator, outsider = make_user(Role.MODERATOR, name="Mia"), make_user(name="Olu")
    college = make_college("Farmers' organisations", members=(member, moderator))
    sheet = make_sheet(title="Zai pits", author=author, body="Dig pits.")
    return author, member, moderator, outsider, college, sheet


def test_start_a_thread_and_reply_through_the_pages(client, login, setting):
    author, member, *_rest, sheet = setting
    login(member)
    with client.post(f"/practices/{sheet.slug}/discussion", data={
            "title": "Spacing", "body": "How **far** apart?", "quote": "Dig pits.",
            "revision_number": "1"}) as response:
        assert response.status_code == 303
        thread_url = response.location
    page = client.get(thread_url).text
    assert "<strong>far</strong>" in page and "Dig pits." in page and "about revision 1" in page
    assert "Discussion (1)" in client.get(f"/practices/{sheet.slug}").text
    first = re.search(r'id="comment-(\d+)"', page)[1]
    client.post("/logout").close()
    login(author)
    with client.post(thread_url + "/reply", data={"body": "80 cm.", "parent_id": first}) as r:
        assert r.status_code == 303
    assert 'class="comment-replies"' in client.get(thread_url).text


def test_bad_comments_keep_what_was_typed_and_change_nothing(client, login, setting):
    _author, member, *_rest, sheet = setting
    login(member)
    response = client.post(f"/practices/{sheet.slug}/discussion", data={
        "title": "Spacing", "body": "Ask @nobody-here about it"})
    assert response.status_code == 422
    assert "No member is called @nobody-here" in response.text
    assert "Ask @nobody-here about it" in response.text  # the text is not lost
    assert "Nobody has discussed this sheet yet." in response.text
    script = client.post(f"/practices/{sheet.slug}/discussion", data={
        "title": "XSS", "body": "<script>alert(1)</script><img src=x onerror=alert(2)>"})
    page = client.get(script.location).text
    assert "<script>alert" not in page
    assert not re.search(r"<[^>]*onerror", page)  # shown as text, never as an attribute


def test_restricted_threads_do_not_leak(client, login, session, setting):
    _author, member, _moderator, outsider, college, sheet = setting
    thread = discussions.start_thread(session, sheet, member, title="Members only topic",
                                      body="Confidential seed prices", college_id=college.id)
    session.commit()
    url = f"/practices/{sheet.slug}/discussion/{thread.id}"
    for who in (None, outsider):
        if who:
            login(who)
        assert client.get(url).status_code == 404
        assert "Members only topic" not in client.get(f"/practices/{sheet.slug}/discussion").text
        assert "Members only topic" not in client.get(f"/colleges/{college.slug}").text
        assert "Confidential" not in client.get(f"/feeds/practices/{sheet.slug}.atom").text
        assert 'class="hit__title"' not in client.get("/practices/?q=Confidential").text
    client.post("/logout").close()
    login(member)
    assert "Confidential seed prices" in client.get(url).text
    assert "Members only topic" in client.get(f"/colleges/{college.slug}").text


def test_open_comments_appear_in_the_sheets_feed(client, session, setting):
    _author, member, *_rest, sheet = setting
    discussions.start_thread(session, sheet, member, title="Open question", body="Anyone?")
    session.commit()
    assert "Anyone?" in client.get(f"/feeds/practices/{sheet.slug}.atom").text


def test_edit_history_hide_and_report(client, login, session, setting):
    author, member, moderator, outsider, _college, sheet = setting
    thread = discussions.start_thread(session, sheet, member, title="T", body="Frist draft")
    session.commit()
    comment = discussions.comments_of(session, thread)[0].comment
    login(member)
    client.post(f"/comments/{comment.id}/edit",
                data={"body": "First draft", "base_version": "0"}).close()
    history = client.get(f"/comments/{comment.id}/history").text
    assert "Frist draft" in history and "First draft" in history
    client.post("/logout").close()
    login(outsider)
    assert client.post(f"/comments/{comment.id}/edit", data={"body": "x"}).status_code == 403
    client.post(f"/comments/{comment.id}/report", data={"reason": "spam"}).close()
    client.post("/logout").close()
    login(moderator)
    client.post(f"/comments/{comment.id}/hide", data={"reason": "off topic"}).close()
    thread_url = f"/practices/{sheet.slug}/discussion/{thread.id}"
    assert "Hidden from others: off topic" in client.get(thread_url).text
    client.post("/logout").close()
    page = client.get(thread_url).text
    assert "hidden by a moderator" in page and "First draft" not in page


def test_endorse_from_the_sheet_page_and_see_it_change(client, login, session, setting):
    author, member, moderator, _outsider, college, sheet = setting
    login(member)
    assert "Endorse this revision" not in client.get(f"/practices/{sheet.slug}").text
    client.post("/logout").close()
    login(moderator)
    assert "Endorse this revision" in client.get(f"/practices/{sheet.slug}").text
    client.post(f"/practices/{sheet.slug}/endorse", data={
        "college_id": str(college.id), "statement": "Backed by our field schools."}).close()
    page = client.get(f"/practices/{sheet.slug}").text
    assert "Endorsed by" in page and "Farmers&#39; organisations" in page
    assert "changed since endorsement" not in page
    duplicate = client.post(f"/practices/{sheet.slug}/endorse", data={
        "college_id": str(college.id), "statement": "Again"}, follow_redirects=True)
    assert "already endorses revision 1" in duplicate.text
    form = client.get(f"/practices/{sheet.slug}/edit").text
    base = re.search(r'name="base_revision_id" value="(\d+)"', form)[1]
    client.post(f"/practices/{sheet.slug}/edit", data={
        "title": sheet.title, "body": "Dig pits 20 cm deep.", "base_revision_id": base,
        "slug": sheet.slug, "action": "save"}).close()
    page = client.get(f"/practices/{sheet.slug}").text
    assert "changed since endorsement" in page
    assert f"/practices/{sheet.slug}/diff/1/2" in page
    assert "Backed by our field schools." in client.get(f"/feeds/colleges/{college.slug}.atom").text
    assert endorsements.endorsed_sheet_ids(session, college.id) == {sheet.id}


def test_the_profile_lists_ones_comments_and_watch_list(client, login, session, setting):
    _author, member, *_rest, sheet = setting
    discussions.start_thread(session, sheet, member, title="Pit depth", body="How deep?")
    session.commit()
    login(member)
    page = client.get("/profile").text
    assert "Pit depth" in page and "Your watch list" in page
    assert "You watch nothing yet." in page  # threads are watched, sheets not yet
    client.post("/watch", data={"target": "sheet", "target_id": str(sheet.id)}).close()
    assert "Zai pits" in client.get("/profile").text


def test_the_search_page_filters_sheets_a_college_endorses(client, session, make_sheet, setting):
    _author, _member, moderator, _outsider, college, sheet = setting
    make_sheet(title="Half moons", body="Dig crescents.")
    endorsements.endorse(session, sheet, college, moderator, "Proven in our field schools.")
    session.commit()
    page = client.get(f"/practices/?endorsed_by={college.slug}").text
    titles = re.findall(r'<h2 class="hit__title"><a [^>]*>(.*?)</a>', page)
    assert titles == ["Zai pits"]
    assert "Endorsed by" in page and "Farmers&#39; organisations" in page  # the facet
    content = sheets.Content.checked(title=sheet.title, summary="", body="Dig pits deeper.",
                                     fields={})
    sheets.revise(session, sheet, content, author=moderator,
                  base_revision_id=sheet.current_revision_id)
    session.commit()  # an edit keeps the endorsement's term
    assert "Zai pits" in client.get(f"/practices/?endorsed_by={college.slug}").text
    [endorsement] = [view.endorsement for view in endorsements.endorsements_of(session, sheet)]
    endorsements.withdraw(session, endorsement, moderator)
    session.commit()
    assert "Zai pits" not in client.get(f"/practices/?endorsed_by={college.slug}").text


def test_saving_a_comment_edited_meanwhile_shows_both_texts(client, login, session, setting):
    _author, member, *_rest, sheet = setting
    thread = discussions.start_thread(session, sheet, member, title="T", body="First words")
    session.commit()
    comment = discussions.comments_of(session, thread)[0].comment
    login(member)
    form = client.get(f"/comments/{comment.id}/edit").text
    base = re.search(r'name="base_version" value="(\d+)"', form).group(1)
    saved = client.post(f"/comments/{comment.id}/edit",
                        data={"body": "Second words", "base_version": base})
    assert saved.status_code == 303

    stale = client.post(f"/comments/{comment.id}/edit",
                        data={"body": "My other rewrite", "base_version": base})

    assert stale.status_code == 409
    assert "Second words" in stale.text and "My other rewrite" in stale.text
    fresh = re.search(r'name="base_version" value="(\d+)"', stale.text).group(1)
    retried = client.post(f"/comments/{comment.id}/edit",
                          data={"body": "My other rewrite", "base_version": fresh})
    assert retried.status_code == 303
    history = client.get(f"/comments/{comment.id}/history").text
    assert "First words" in history and "Second words" in history


@pytest.mark.parametrize("sent", [{"base_version": ""}, {"base_version": "abc"},
                                  {"base_version": "99999999999"}, {}])
def test_a_comment_edit_that_does_not_say_its_base_is_a_conflict(client, login, session,
                                                                setting, sent):
    _author, member, *_rest, sheet = setting
    thread = discussions.start_thread(session, sheet, member, title="T", body="First words")
    session.commit()
    comment = discussions.comments_of(session, thread)[0].comment
    login(member)
    discussions.edit_comment(session, comment, member, "Second words")  # another window
    session.commit()

    late = client.post(f"/comments/{comment.id}/edit", data={"body": "My rewrite", **sent})

    assert late.status_code == 409
    assert "This comment was changed after you opened it" in late.text
    assert "Second words" in late.text and "My rewrite" in late.text
    assert re.search(r'name="base_version" value="1"', late.text)  # the one to save from
    session.expire_all()
    assert session.get(Comment, comment.id).body == "Second words"


@pytest.mark.parametrize("action", ["close", ""])
def test_an_unknown_thread_action_is_refused_and_changes_nothing(client, login, session,
                                                                 setting, action):
    _author, member, *_rest, sheet = setting
    thread = discussions.start_thread(session, sheet, member, title="T", body="Open question")
    session.commit()
    login(member)
    url = f"/practices/{sheet.slug}/discussion/{thread.id}/resolve"

    refused = client.post(url, data={"action": action})

    assert refused.status_code == 400
    assert "This form asked for something the page does not offer." in refused.text
    session.expire_all()
    assert session.get(Thread, thread.id).resolved_at is None
    assert client.post(url, data={"action": "resolve"}).status_code == 303
    session.expire_all()
    assert session.get(Thread, thread.id).resolved_at is not None
