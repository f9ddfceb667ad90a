"""Discussions of a sheet: threads, comments with one level of replies, mentions, edits that
keep the earlier text, moderation that hides and never deletes.

A thread may be restricted to one college: only its members and moderators see it, and every
reader of threads (pages, feeds, notifications) asks `can_see_thread` first.
"""

import re
from dataclasses import dataclass, field

from sqlalchemy import func, update
from sqlalchemy.orm import object_session
from sqlmodel import Session, select

from practices import notifications, policy
from practices.markdown import plain_text
from practices.models import (
    College,
    CollegeMembership,
    Comment,
    CommentReport,
    CommentVersion,
    Revision,
    Sheet,
    Thread,
    User,
    WatchTarget,
    utcnow,
)
from practices.notifications import Event
from practices.text import (
    CONTROL_CHARACTER_MESSAGE,
    has_control_character,
    has_visible_character,
)

MAX_TITLE = 200
MAX_COMMENT = 20_000
MAX_QUOTE = 2_000
MAX_REASON = 300
# @handle: the part of a member's e-mail address before the @ (how they sign in), written
# after a space or at the start, so that e-mail addresses in a text are not mentions.
MENTION = re.compile(r"(?<![\w@.])@([A-Za-z0-9][A-Za-z0-9._-]*[A-Za-z0-9]|[A-Za-z0-9])")


class DiscussionError(Exception):
    """What the user asked for cannot be done; the message says why (shown as is)."""


class DiscussionForbidden(DiscussionError):
    """The user may not do this at all."""


class DiscussionConflict(DiscussionError):
    """The request names something that is not (or no longer) there: a revision, a comment
    to answer, a college."""


class StaleComment(DiscussionConflict):
    """The comment changed after the text this edit started from (in another window)."""

    def __init__(self):
        super().__init__("This comment was changed after you opened it (in another window?). "
                         "Your text is kept below: compare it with the current one and save again.")


# Who sees what --------------------------------------------------------------------------


def colleges_of(session: Session, user: User | None) -> frozenset[int]:
    if user is None:
        return frozenset()
    query = select(CollegeMembership.college_id).where(CollegeMembership.user_id == user.id)
    return frozenset(session.exec(query))


def can_see_thread(user: User | None, thread: Thread) -> bool:
    session = object_session(thread)
    sheet = session.get(Sheet, thread.sheet_id)
    return sheet is not None and policy.can_see_thread(
        user, sheet, thread.college_id, colleges_of(session, user))


def thread_by_id(session: Session, thread_id: int) -> Thread | None:
    return session.get(Thread, thread_id)


@dataclass
class ThreadSummary:
    thread: Thread
    comments: int
    college: College | None
    author: User | None


def threads_of(session: Session, sheet: Sheet, user: User | None) -> list[ThreadSummary]:
    """The threads of a sheet this user may see, most recently active first."""
    member_of = colleges_of(session, user)
    query = select(Thread).where(Thread.sheet_id == sheet.id).order_by(
        Thread.resolved_at.is_not(None), Thread.last_activity_at.desc())
    visible = [thread for thread in session.exec(query)
               if policy.can_see_thread(user, sheet, thread.college_id, member_of)]
    return _summaries(session, visible)


def count_visible(session: Session, sheet: Sheet, user: User | None) -> int:
    return len(threads_of(session, sheet, user))


def _summaries(session: Session, threads: list[Thread]) -> list[ThreadSummary]:
    if not threads:
        return []
    ids = [thread.id for thread in threads]
    counts = dict(session.exec(select(Comment.thread_id, func.count())
                               .where(Comment.thread_id.in_(ids))
                               .group_by(Comment.thread_id)).all())
    colleges = {c.id: c for c in session.exec(select(College).where(
        College.id.in_({t.college_id for t in threads if t.college_id})))}
    authors = {u.id: u for u in session.exec(select(User).where(
        User.id.in_({t.created_by_id for t in threads if t.created_by_id})))}
    return [ThreadSummary(t, counts.get(t.id, 0), colleges.get(t.college_id),
                          authors.get(t.created_by_id)) for t in threads]


@dataclass
class CommentView:
    comment: Comment
    author: User | None
    replies: list["CommentView"] = field(default_factory=list)
    versions: int = 0


def comments_of(session: Session, thread: Thread) -> list[CommentView]:
    """Top-level comments in order, each with its replies."""
    rows = list(session.exec(select(Comment).where(Comment.thread_id == thread.id)
                             .order_by(Comment.created_at, Comment.id)))
    authors = {u.id: u for u in session.exec(select(User).where(
        User.id.in_({c.author_id for c in rows if c.author_id})))}
    versions = dict(session.exec(select(CommentVersion.comment_id, func.count())
                                 .where(CommentVersion.comment_id.in_([c.id for c in rows]))
                                 .group_by(CommentVersion.comment_id)).all()) if rows else {}
    views = {c.id: CommentView(c, authors.get(c.author_id), versions=versions.get(c.id, 0))
             for c in rows}
    top = []
    for comment in rows:
        parent = views.get(comment.parent_id)
        (parent.replies if parent else top).append(views[comment.id])
    return top


# Writing ----------------------------------------------------------------------------------


def start_thread(session: Session, sheet: Sheet, author: User, *, title: str, body: str,
                 college_id: int | None = None, quote: str = "",
                 revision_number: int | None = None) -> Thread:
    if not policy.can_comment(author, sheet):
        raise DiscussionError("You cannot discuss this sheet.")
    title = " ".join(title.split())
    if not has_visible_character(title):
        raise DiscussionError("Give the thread a title.")
    if has_control_character(title):
        raise DiscussionError(CONTROL_CHARACTER_MESSAGE)
    if len(title) > MAX_TITLE:
        raise DiscussionError(f"The title is too long (at most {MAX_TITLE} characters).")
    if college_id is not None:
        college = session.get(College, college_id)
        if college is None or not college.active:
            raise DiscussionConflict("There is no such college.")
        if not policy.can_start_restricted_thread(author, college_id,
                                                  colleges_of(session, author)):
            raise DiscussionForbidden("Only members of a college open threads restricted to it.")
    thread = Thread(sheet_id=sheet.id, title=title, college_id=college_id,
                    created_by_id=author.id)
    session.add(thread)
    session.flush()
    _add_comment(session, thread, sheet, author, body, None, quote, revision_number,
                 Event.COMMENT)
    return thread


def reply(session: Session, thread: Thread, author: User, *, body: str,
          parent_id: int | None = None, quote: str = "",
          revision_number: int | None = None) -> Comment:
    sheet = session.get(Sheet, thread.sheet_id)
    if not can_see_thread(author, thread) or not policy.can_comment(author, sheet):
        raise DiscussionError("You cannot take part in this thread.")
    parent = None
    if parent_id is not None:
        parent = session.get(Comment, parent_id)
        if parent is None or parent.thread_id != thread.id:
            raise DiscussionConflict("The comment you answer is not in this thread.")
        if parent.hidden_at is not None:
            raise DiscussionConflict("A hidden comment cannot be answered.")
        if parent.parent_id is not None:  # one level of replies: answer the top comment
            parent = session.get(Comment, parent.parent_id)
    event = Event.REPLY if parent else Event.COMMENT
    return _add_comment(session, thread, sheet, author, body, parent, quote, revision_number,
                        event)


def _add_comment(session: Session, thread: Thread, sheet: Sheet, author: User, body: str,
                 parent: Comment | None, quote: str, revision_number: int | None,
                 event: str) -> Comment:
    body = _checked_body(body)
    quote = " ".join(quote.split())[:MAX_QUOTE]
    if revision_number is not None and not _revision_exists(session, sheet, revision_number):
        raise DiscussionConflict(f"This sheet has no revision {revision_number}.")
    mentioned = mentioned_users(session, body, thread)
    comment = Comment(thread_id=thread.id, parent_id=parent.id if parent else None,
                      author_id=author.id, body=body, quote=quote,
                      revision_number=revision_number)
    session.add(comment)
    thread.last_activity_at = utcnow()
    session.flush()
    notifications.watch(session, author, WatchTarget.THREAD, thread.id)
    also = {parent.author_id} if parent and parent.author_id else set()
    notifications.notify(session, event, actor=author, sheet=sheet, thread=thread,
                         comment=comment, mentioned=mentioned, also=also,
                         excerpt=plain_text(body))  # as read, not its Markdown marks
    return comment


def edit_comment(session: Session, comment: Comment, user: User, body: str, *,
                 base_version: int | None = None) -> None:
    """Change one's own comment; the text it had is kept as a version. `base_version` is
    `version_of` when the form was shown (changed since: StaleComment); the row is held from
    this check to the commit, so of two saves at once the second keeps the first's text."""
    if not policy.can_edit_comment(user, comment.author_id):
        raise DiscussionError("Only its author can edit a comment.")
    body = _checked_body(body)
    _hold(session, comment)
    if comment.hidden_at is not None:
        raise DiscussionError("A hidden comment cannot be edited.")
    if base_version is not None and version_of(session, comment) != base_version:
        raise StaleComment()
    if body == comment.body:
        raise DiscussionError("Nothing changed.")
    thread = session.get(Thread, comment.thread_id)
    mentioned_users(session, body, thread)  # unknown mentions are refused here too
    session.add(CommentVersion(comment_id=comment.id, body=comment.body,
                               written_at=comment.edited_at or comment.created_at))
    comment.body = body
    comment.edited_at = utcnow()
    session.flush()


def version_of(session: Session, comment: Comment) -> int:
    """How many times the comment was edited: the base an edit form sends back."""
    query = select(func.count()).select_from(CommentVersion).where(
        CommentVersion.comment_id == comment.id)
    return session.exec(query).one()


def _hold(session: Session, comment: Comment) -> None:
    """Lock the comment's row until the transaction ends and read it afresh (an UPDATE that
    changes nothing: a row lock on PostgreSQL, the write lock on SQLite)."""
    session.execute(update(Comment).where(Comment.id == comment.id).values(
        edited_at=Comment.edited_at).execution_options(synchronize_session=False))
    session.refresh(comment)


def versions_of(session: Session, comment: Comment) -> list[CommentVersion]:
    """Earlier texts of a comment, oldest first."""
    query = select(CommentVersion).where(CommentVersion.comment_id == comment.id)
    return list(session.exec(query.order_by(CommentVersion.id)))


def hide_comment(session: Session, comment: Comment, moderator: User, reason: str) -> None:
    if not policy.can_moderate_comments(moderator):
        raise DiscussionError("Only moderators hide comments.")
    reason = " ".join(reason.split())
    if not reason:
        raise DiscussionError("Say why the comment is hidden.")
    comment.hidden_at = utcnow()
    comment.hidden_by_id = moderator.id
    comment.hidden_reason = reason[:MAX_REASON]
    _handle_reports(session, comment)


def show_comment(session: Session, comment: Comment, moderator: User) -> None:
    if not policy.can_moderate_comments(moderator):
        raise DiscussionError("Only moderators show hidden comments again.")
    comment.hidden_at = None
    comment.hidden_by_id = None
    comment.hidden_reason = ""
    _handle_reports(session, comment)


def report_comment(session: Session, comment: Comment, user: User, reason: str) -> None:
    thread = session.get(Thread, comment.thread_id)
    if user is None or not user.active or not can_see_thread(user, thread):
        raise DiscussionError("You cannot report this comment.")
    reason = " ".join(reason.split())
    if not reason:
        raise DiscussionError("Say what is wrong with the comment.")
    already = session.exec(select(CommentReport).where(
        CommentReport.comment_id == comment.id, CommentReport.reporter_id == user.id,
        CommentReport.handled_at.is_(None))).first()
    if already is not None:
        raise DiscussionError("You have already reported this comment.")
    session.add(CommentReport(comment_id=comment.id, reporter_id=user.id,
                              reason=reason[:MAX_REASON]))


def open_reports(session: Session) -> list[tuple[CommentReport, Comment, Thread]]:
    query = (select(CommentReport, Comment, Thread)
             .join(Comment, Comment.id == CommentReport.comment_id)
             .join(Thread, Thread.id == Comment.thread_id)
             .where(CommentReport.handled_at.is_(None)).order_by(CommentReport.created_at))
    return list(session.exec(query))


def _handle_reports(session: Session, comment: Comment) -> None:
    for report in session.exec(select(CommentReport).where(
            CommentReport.comment_id == comment.id, CommentReport.handled_at.is_(None))):
        report.handled_at = utcnow()


def set_resolved(session: Session, thread: Thread, user: User, resolved: bool) -> None:
    if not policy.can_resolve_thread(user, thread.created_by_id):
        raise DiscussionError("Only the thread's author or a moderator can do that.")
    thread.resolved_at = utcnow() if resolved else None
    thread.resolved_by_id = user.id if resolved else None


# Mentions ---------------------------------------------------------------------------------


def mentioned_users(session: Session, body: str, thread: Thread) -> list[User]:
    """The members a text mentions; an unknown handle, or one who could not read the thread,
    is refused rather than silently dropped."""
    handles = {match.lower() for match in MENTION.findall(body)}
    if not handles:
        return []
    local_part = func.lower(func.substr(User.email, 1, func.instr(User.email, "@") - 1)) \
        if session.get_bind().dialect.name == "sqlite" else \
        func.lower(func.split_part(User.email, "@", 1))
    found = {}
    for user, handle in session.exec(select(User, local_part).where(
            local_part.in_(handles), User.active)):
        found[handle] = user
    unknown = sorted(handles - set(found))
    if unknown:
        raise DiscussionError("No member is called " + ", ".join(f"@{h}" for h in unknown)
                              + " (a mention is the part of their e-mail before the @).")
    hidden_from = sorted(h for h, user in found.items() if not can_see_thread(user, thread))
    if hidden_from:
        raise DiscussionError(", ".join(f"@{h}" for h in hidden_from)
                              + " cannot see this thread.")
    return list(found.values())


def handle_of(user: User) -> str:
    return user.email.split("@", 1)[0]


# Colleges and feeds -------------------------------------------------------------------------


def college_threads(session: Session, college: College, user: User | None,
                    limit: int = 30) -> list[tuple[ThreadSummary, Sheet]]:
    """Threads restricted to this college, and open threads its members started."""
    members = select(CollegeMembership.user_id).where(CollegeMembership.college_id == college.id)
    query = (select(Thread, Sheet).join(Sheet, Sheet.id == Thread.sheet_id)
             .where((Thread.college_id == college.id) | (
                 Thread.college_id.is_(None) & Thread.created_by_id.in_(members)))
             .where(Sheet.deleted_at.is_(None))
             .order_by(Thread.last_activity_at.desc()).limit(limit))
    member_of = colleges_of(session, user)
    rows = [(thread, sheet) for thread, sheet in session.exec(query)
            if policy.can_see_thread(user, sheet, thread.college_id, member_of)]
    summaries = _summaries(session, [thread for thread, _ in rows])
    return list(zip(summaries, [sheet for _, sheet in rows], strict=True))


@dataclass
class FeedComment:
    id: int
    url: str
    title: str
    summary: str
    author: str
    updated: object


def public_feed_items(session: Session, sheet: Sheet, url_for_thread, limit: int = 50
                      ) -> list[FeedComment]:
    """Visible comments of the sheet's open (unrestricted) threads, for its public feed."""
    query = (select(Comment, Thread, User).join(Thread, Thread.id == Comment.thread_id)
             .join(User, User.id == Comment.author_id, isouter=True)
             .where(Thread.sheet_id == sheet.id, Thread.college_id.is_(None),
                    Comment.hidden_at.is_(None))
             .order_by(Comment.created_at.desc()).limit(limit))
    return [FeedComment(comment.id, url_for_thread(thread) + f"#comment-{comment.id}",
                        thread.title, comment.body[:500], author.name if author else "",
                        comment.edited_at or comment.created_at)
            for comment, thread, author in session.exec(query)]


def _checked_body(body: str) -> str:
    body = body.strip()
    if not body:
        raise DiscussionError("Write something first: the comment is empty.")
    if len(body) > MAX_COMMENT:
        raise DiscussionError(f"The comment is too long (at most {MAX_COMMENT:,} characters).")
    if has_control_character(body):
        raise DiscussionError(CONTROL_CHARACTER_MESSAGE)
    return body


def _revision_exists(session: Session, sheet: Sheet, number: int) -> bool:
    query = select(Revision.id).where(Revision.sheet_id == sheet.id, Revision.number == number)
    return session.exec(query).first() is not None


def comments_by(session: Session, user: User, limit: int = 20
                ) -> list[tuple[Comment, Thread, Sheet]]:
    """A member's latest comments, with where they were written (for their profile)."""
    query = (select(Comment, Thread, Sheet).join(Thread, Thread.id == Comment.thread_id)
             .join(Sheet, Sheet.id == Thread.sheet_id)
             .where(Comment.author_id == user.id, Sheet.deleted_at.is_(None))
             .order_by(Comment.created_at.desc()).limit(limit))
    return list(session.exec(query))
