"""Discussions and endorsements as services: rules, bad input, notifications, history."""

import pytest
from sqlmodel import Session, select

from practices import discussions, endorsements, sheets
from practices.discussions import DiscussionError
from practices.endorsements import EndorsementError
from practices.models import Comment, Notification, Role, Thread
from practices.notifications import Event


def events_of(session, user) -> list[str]:
    session.expire_all()
    return list(session.exec(select(Notification.event)
                             .where(Notification.user_id == user.id).order_by(Notification.id)))


def count(session, model) -> int:
    return len(session.exec(select(model)).all())


@pytest.fixture
def people(make_user, make_college):
    author = make_user(name="Awa")
    member = make_user(name="Ben")
    moderator = make_user(Role.MODERATOR, name="Mia")
    outsider = make_user(name="Olu")
    college = make_college("Farmers' organisations", members=(member, moderator))
    return author, member, moderator, outsider, college


def test_a_thread_and_its_replies_notify_the_author_and_participants(session, make_sheet,
                                                                     people):
    author, member, moderator, _outsider, _college = people
    sheet = make_sheet(title="Zai pits", author=author)
    thread = discussions.start_thread(session, sheet, member, title="Spacing",
                                      body="How far apart?", revision_number=1)
    session.commit()
    assert events_of(session, author) == [Event.COMMENT]
    first = discussions.comments_of(session, thread)[0].comment
    discussions.reply(session, thread, moderator, body="80 cm works.", parent_id=first.id)
    session.commit()
    assert events_of(session, member) == [Event.REPLY]  # the thread starter watches it
    assert events_of(session, author)[-1] == Event.REPLY
    tree = discussions.comments_of(session, thread)
    assert [view.comment.body for view in tree[0].replies] == ["80 cm works."]


def test_a_notification_quotes_the_comment_as_read_not_its_markdown(session, make_sheet,
                                                                    people):
    author, member, _moderator, _outsider, _college = people
    discussions.start_thread(session, make_sheet(author=author), member, title="Spacing",
                             body="## Spacing\n\nPlant the pits **80 cm** apart, see "
                                  "[the guide](https://example.org/guide).")
    session.commit()
    excerpt = session.exec(select(Notification.excerpt)
                           .where(Notification.user_id == author.id)).one()
    assert excerpt == "Spacing Plant the pits 80 cm apart, see the guide."


def test_replies_stay_one_level_deep(session, make_sheet, people):
    author, member, moderator, _outsider, _college = people
    thread = discussions.start_thread(session, make_sheet(author=author), member, title="T",
                                      body="First")
    first = discussions.comments_of(session, thread)[0].comment
    reply = discussions.reply(session, thread, moderator, body="Second", parent_id=first.id)
    deeper = discussions.reply(session, thread, author, body="Third", parent_id=reply.id)
    assert deeper.parent_id == first.id


def test_mentions_notify_and_unknown_ones_are_refused(session, make_sheet, people):
    author, member, moderator, _outsider, _college = people
    sheet = make_sheet(author=author)
    handle = moderator.email.split("@")[0]
    discussions.start_thread(session, sheet, member, title="Help",
                             body=f"What do you think, @{handle}? (mail me at a@b.org)")
    session.commit()
    assert events_of(session, moderator) == [Event.MENTION]
    before = count(session, Comment)
    with pytest.raises(DiscussionError, match="@nobody"):
        discussions.start_thread(session, sheet, member, title="Help", body="Hi @nobody")
    session.rollback()
    assert count(session, Comment) == before


@pytest.mark.parametrize("body", ["", "   ", "x" * (discussions.MAX_COMMENT + 1)])
def test_empty_or_oversized_comments_are_refused(session, make_sheet, people, body):
    author, member, *_ = people
    with pytest.raises(DiscussionError):
        discussions.start_thread(session, make_sheet(author=author), member, title="T",
                                 body=body)
    session.rollback()
    assert count(session, Thread) == 0


def test_a_restricted_thread_is_seen_and_told_only_inside_the_college(session, make_sheet,
                                                                      people):
    author, member, moderator, outsider, college = people
    sheet = make_sheet(author=author)
    thread = discussions.start_thread(session, sheet, member, title="Members only",
                                      body="Between us.", college_id=college.id)
    session.commit()
    assert discussions.can_see_thread(member, thread)
    assert discussions.can_see_thread(moderator, thread)
    assert not discussions.can_see_thread(outsider, thread)
    assert not discussions.can_see_thread(author, thread)  # the author is not a member
    assert events_of(session, author) == []  # watching the sheet does not open the thread
    assert [s.thread.id for s in discussions.threads_of(session, sheet, outsider)] == []
    with pytest.raises(DiscussionError):
        discussions.reply(session, thread, outsider, body="Let me in")
    with pytest.raises(DiscussionError, match="cannot see"):
        discussions.reply(session, thread, member,
                          body=f"cc @{outsider.email.split('@')[0]}")


def test_only_members_open_a_restricted_thread(session, make_sheet, people):
    author, _member, _moderator, outsider, college = people
    with pytest.raises(DiscussionError):
        discussions.start_thread(session, make_sheet(author=author), outsider, title="T",
                                 body="B", college_id=college.id)


def test_edits_keep_the_earlier_text(session, make_sheet, people):
    author, member, *_ = people
    thread = discussions.start_thread(session, make_sheet(author=author), member, title="T",
                                      body="Fist version")
    comment = discussions.comments_of(session, thread)[0].comment
    discussions.edit_comment(session, comment, member, "First version")
    assert comment.body == "First version" and comment.edited_at is not None
    assert [v.body for v in discussions.versions_of(session, comment)] == ["Fist version"]
    with pytest.raises(DiscussionError):
        discussions.edit_comment(session, comment, author, "Not mine to change")


def test_hidden_comments_are_kept_and_cannot_be_answered(session, make_sheet, people):
    author, member, moderator, outsider, _college = people
    thread = discussions.start_thread(session, make_sheet(author=author), member, title="T",
                                      body="Rude words")
    comment = discussions.comments_of(session, thread)[0].comment
    discussions.report_comment(session, comment, outsider, "Insulting")
    with pytest.raises(DiscussionError):
        discussions.report_comment(session, comment, outsider, "Again")
    with pytest.raises(DiscussionError):
        discussions.hide_comment(session, comment, member, "not a moderator")
    with pytest.raises(DiscussionError, match="why"):
        discussions.hide_comment(session, comment, moderator, "  ")
    discussions.hide_comment(session, comment, moderator, "Insulting")
    assert discussions.open_reports(session) == []  # handled by hiding
    with pytest.raises(DiscussionError, match="hidden"):
        discussions.reply(session, thread, author, body="Answer", parent_id=comment.id)
    assert session.get(Comment, comment.id).body == "Rude words"  # never deleted


def test_a_college_moderator_endorses_a_revision_and_edits_show_as_changed_since(
        session, make_sheet, people):
    author, member, moderator, _outsider, college = people
    sheet = make_sheet(title="Cover crops", author=author, body="Rye.")
    endorsements.endorse(session, sheet, college, moderator, "Backed by our trials.")
    session.commit()
    assert events_of(session, author) == [Event.ENDORSEMENT]
    [view] = endorsements.endorsements_of(session, sheet)
    assert view.endorsement.revision_number == 1 and not view.changed_since
    content = sheets.Content.checked(title=sheet.title, summary="", body="Rye and vetch.",
                                     fields={})
    sheets.revise(session, sheet, content, author=member,
                  base_revision_id=sheet.current_revision_id)
    [view] = endorsements.endorsements_of(session, sheet)
    assert view.changed_since and view.current_revision_number == 2
    assert endorsements.endorsed_sheet_ids(session, college.id) == {sheet.id}


def test_endorsement_rules(session, make_sheet, people, make_user):
    author, member, moderator, _outsider, college = people
    sheet = make_sheet(author=author)
    with pytest.raises(EndorsementError):  # a member, but not a moderator
        endorsements.endorse(session, sheet, college, member, "Good")
    with pytest.raises(EndorsementError):  # a moderator, but not a member
        endorsements.endorse(session, sheet, college, make_user(Role.MODERATOR), "Good")
    with pytest.raises(EndorsementError):  # a draft
        endorsements.endorse(session, make_sheet("Draft", author=author, status="draft"), college,
                             moderator, "Good")
    endorsement = endorsements.endorse(session, sheet, college, moderator, "Good")
    with pytest.raises(EndorsementError, match="already"):
        endorsements.endorse(session, sheet, college, moderator, "Again")
    endorsements.withdraw(session, endorsement, moderator)
    assert endorsements.endorsements_of(session, sheet) == []
    assert endorsement.withdrawn_at is not None  # kept, with who and when


def test_an_edit_started_before_another_edit_of_the_comment_is_refused(session, make_sheet,
                                                                       people):
    _author, member, *_ = people
    thread = discussions.start_thread(session, make_sheet(), member, title="T", body="One")
    comment = discussions.comments_of(session, thread)[0].comment
    opened = discussions.version_of(session, comment)  # the form in a first window
    discussions.edit_comment(session, comment, member, "Two", base_version=opened)
    with pytest.raises(discussions.StaleComment):  # the same form, saved from a second one
        discussions.edit_comment(session, comment, member, "Three", base_version=opened)
    assert comment.body == "Two"
    assert [version.body for version in discussions.versions_of(session, comment)] == ["One"]


def test_two_saves_of_one_comment_from_two_workers_keep_both_texts(app, session, make_sheet,
                                                                    people):
    _author, member, *_ = people
    thread = discussions.start_thread(session, make_sheet(), member, title="T", body="One")
    session.commit()
    comment = discussions.comments_of(session, thread)[0].comment
    with Session(app.extensions["engine"], expire_on_commit=False) as other:
        discussions.edit_comment(other, other.get(Comment, comment.id), member, "Two")
        other.commit()
    # This worker read the comment before that save; without a base, the last save wins,
    # but the text it replaces is the one just saved, kept as a version.
    discussions.edit_comment(session, comment, member, "Three")
    session.commit()
    assert [version.body for version in discussions.versions_of(session, comment)] == [
        "One", "Two"]
    assert session.get(Comment, comment.id).body == "Three"
