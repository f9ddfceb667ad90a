"""Who hears of what: watchers, authors, moderators, mentions — never the actor, never
someone the policy keeps out."""

from sqlmodel import select

from practices import notifications, sheets, workflow
from practices.models import Notification, Role, SheetStatus, WatchTarget
from practices.notifications import Event


def told(session, user) -> list[tuple[str, int | None]]:
    session.expire_all()
    rows = session.exec(select(Notification).where(Notification.user_id == user.id)
                        .order_by(Notification.id))
    return [(row.event, row.revision_number) for row in rows]


def edit(session, sheet, author, body: str, summary: str = "edit"):
    content = sheets.Content.checked(title=sheet.title, summary="", body=body, fields={})
    revision = sheets.revise(session, sheet, content, author=author,
                             base_revision_id=sheet.current_revision_id, edit_summary=summary)
    session.commit()
    return revision


def test_authors_watch_their_sheets_and_hear_of_other_peoples_edits(session, make_sheet,
                                                                    make_user):
    author, editor = make_user(), make_user()
    sheet = make_sheet(title="Mulching", author=author, body="Straw.")
    assert notifications.is_watching(session, author, WatchTarget.SHEET, sheet.id)
    edit(session, sheet, editor, "Straw and leaves.", "add leaves")
    assert told(session, author) == [(Event.EDIT, 2)]
    assert told(session, editor) == []  # nobody hears of their own edit
    assert notifications.is_watching(session, editor, WatchTarget.SHEET, sheet.id)
    edit(session, sheet, author, "Straw, leaves and stalks.")
    assert told(session, editor) == [(Event.EDIT, 3)]


def test_unwatching_stops_the_notifications(session, make_sheet, make_user):
    author, editor = make_user(), make_user()
    sheet = make_sheet(title="Hedgerows", author=author, body="Plant.")
    notifications.unwatch(session, author, WatchTarget.SHEET, sheet.id)
    session.commit()
    edit(session, sheet, editor, "Plant thorny shrubs.")
    assert told(session, author) == []


def test_a_watcher_who_may_no_longer_see_the_sheet_is_not_told(session, make_sheet, make_user):
    author, reader = make_user(), make_user()
    sheet = make_sheet(title="Terraces", author=author, body="Dig.")
    notifications.watch(session, reader, WatchTarget.SHEET, sheet.id)
    sheets.set_status(session, sheet, SheetStatus.DRAFT)  # back to its authors
    session.commit()
    edit(session, sheet, author, "Dig along the contour.")
    assert told(session, reader) == []


def test_review_steps_reach_moderators_then_the_author(session, make_sheet, make_user):
    author, moderator = make_user(), make_user(Role.MODERATOR)
    sheet = make_sheet(title="Zai pits", author=author, status="draft", body="Pits.")
    workflow.submit(session, sheet, author)
    session.commit()
    assert told(session, moderator) == [(Event.SUBMITTED, None)]
    workflow.return_to_authors(session, sheet, moderator, "Add the pit spacing, please.")
    session.commit()
    assert told(session, author) == [(Event.RETURNED, None)]
    excerpt = session.exec(select(Notification.excerpt).where(
        Notification.user_id == author.id)).one()
    assert excerpt == "Add the pit spacing, please."
    workflow.submit(session, sheet, author)
    workflow.publish(session, sheet, moderator)
    session.commit()
    assert told(session, author)[-1] == (Event.PUBLISHED, None)


def test_mentioned_users_hear_of_it_as_a_mention(session, make_sheet, make_user):
    author, colleague, actor = make_user(), make_user(), make_user()
    sheet = make_sheet(title="Biochar", author=author)
    notifications.notify(session, Event.COMMENT, actor=actor, sheet=sheet,
                         mentioned=[colleague], excerpt="What do you think, @colleague?")
    session.commit()
    assert told(session, colleague) == [(Event.MENTION, None)]
    assert told(session, author) == [(Event.COMMENT, None)]


def test_reading_marks_notifications_read(session, make_sheet, make_user):
    author, editor = make_user(), make_user()
    sheet = make_sheet(title="Compost", author=author, body="Heap.")
    edit(session, sheet, editor, "Heap and turn.")
    edit(session, sheet, editor, "Heap and turn twice.")
    assert notifications.unread_count(session, author) == 2
    first = notifications.inbox(session, author).notifications[-1]
    assert notifications.mark_read(session, author, first.id) == 1
    assert notifications.unread_count(session, author) == 1
    assert notifications.mark_read(session, editor) == 0  # not theirs to read
    assert notifications.mark_read(session, author) == 1
    assert notifications.unread_count(session, author) == 0
