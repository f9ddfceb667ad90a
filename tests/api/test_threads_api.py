"""Discussion threads through the API: read with the sheet (a college's threads by its
members and moderators only), write for members, hidden comments stay hidden."""

from sqlmodel import select

from practices import discussions
from practices.models import Comment, Role
from tests.api.conftest import assert_error


def test_members_start_threads_and_reply(client, make_sheet, make_user, make_token):
    make_sheet("Zai pits")
    alice = make_token(make_user(name="Alice"))

    started = client.post("/api/v1/practices/zai-pits/threads", headers=alice, json={
        "title": "Manure quantities", "body": "How much manure per pit?", "revision_number": 1})

    assert started.status_code == 201, started.text
    thread = started.get_json()
    assert started.headers["Location"] == thread["url"]
    assert thread["comment_count"] == 1 and thread["author"] == {"name": "Alice"}
    first = thread["comments"][0]
    answer = client.post(f"{thread['url']}/comments", headers=make_token(make_user(name="Bob")),
                         json={"body": "A handful.", "parent_id": first["id"]})
    assert answer.status_code == 201 and answer.get_json()["author"] == {"name": "Bob"}
    read = client.get(thread["url"]).get_json()  # anonymous readers see open threads
    assert [reply["body"] for reply in read["comments"][0]["replies"]] == ["A handful."]
    listed = client.get("/api/v1/practices/zai-pits/threads").get_json()["items"]
    assert [(item["title"], item["comment_count"]) for item in listed] == [
        ("Manure quantities", 2)]


def test_readers_and_guests_cannot_write(client, make_sheet, make_user, make_token):
    make_sheet("Zai pits")
    body = {"title": "Hello", "body": "Hi"}
    assert_error(client.post("/api/v1/practices/zai-pits/threads", json=body), 401)
    assert_error(client.post("/api/v1/practices/zai-pits/threads", json=body,
                             headers=make_token(make_user(Role.READER))), 403)
    assert client.get("/api/v1/practices/zai-pits/threads").get_json()["items"] == []


def test_college_threads_are_for_members_and_moderators(client, make_sheet, make_user,
                                                        make_token, make_college):
    make_sheet("Zai pits")
    member = make_user()
    college = make_college("Research", members=(member,))
    started = client.post("/api/v1/practices/zai-pits/threads", headers=make_token(member),
                          json={"title": "Internal", "body": "Among us.",
                                "college": college.slug})
    url = started.get_json()["url"]
    assert started.get_json()["college"]["slug"] == college.slug

    assert_error(client.get(url), 404)
    assert_error(client.get(url, headers=make_token(make_user())), 404)
    assert client.get(url, headers=make_token(make_user(Role.MODERATOR))).status_code == 200
    assert client.get("/api/v1/practices/zai-pits/threads").get_json()["items"] == []
    outsider = client.post("/api/v1/practices/zai-pits/threads", headers=make_token(make_user()),
                           json={"title": "Sneaky", "body": "x", "college": college.slug})
    assert_error(outsider, 403, "refused")


def test_hidden_comments_keep_their_place_without_their_text(client, session, make_sheet,
                                                             make_user, make_token):
    sheet = make_sheet("Zai pits")
    author, moderator = make_user(), make_user(Role.MODERATOR)
    thread = discussions.start_thread(session, sheet, author, title="Spam", body="Buy now")
    comment = session.exec(select(Comment).where(Comment.thread_id == thread.id)
                           ).one()
    discussions.hide_comment(session, comment, moderator, "advertising")
    session.commit()
    url = f"/api/v1/practices/zai-pits/threads/{thread.id}"

    seen = client.get(url).get_json()["comments"][0]
    assert seen["hidden"] is True and seen["body"] == ""
    by_moderator = client.get(url, headers=make_token(moderator)).get_json()["comments"][0]
    assert by_moderator["body"] == "Buy now"


def test_threads_of_a_hidden_draft_do_not_exist(client, make_sheet, make_user, make_token):
    make_sheet("Secret draft", status="draft")
    assert_error(client.get("/api/v1/practices/secret-draft/threads"), 404)
    assert_error(client.get("/api/v1/practices/secret-draft/threads/1"), 404)


def test_unknown_mention_is_refused(client, make_sheet, make_user, make_token):
    make_sheet("Zai pits")
    response = client.post("/api/v1/practices/zai-pits/threads",
                           headers=make_token(make_user()),
                           json={"title": "Ping", "body": "@nobody-here what do you think?"})
    assert "@nobody-here" in assert_error(response, 422, "refused")["error"]["message"]
