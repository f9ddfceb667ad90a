"""E-mail for notifications, sent after the transaction that made them has committed.

Off unless SMTP_HOST is set. A notification is e-mailed at most once (`emailed_at`), only to
users who did not switch e-mail off, and a mail server that is down costs a log line, never
the user's request.

smtplib is loaded when a message is sent (issue 12: not in workers of a wiki without mail).
"""

import logging
from email.message import EmailMessage

from flask import current_app, has_app_context, has_request_context
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import event, update
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session, select

from practices import notifications
from practices.models import Notification, User, utcnow

log = logging.getLogger(__name__)
SMTP_TIMEOUT = 10  # seconds


@event.listens_for(OrmSession, "after_flush")
def _note_new_notifications(session, _context) -> None:
    new = [obj for obj in session.new if isinstance(obj, Notification)]
    if new:
        session.info.setdefault("new_notifications", []).extend(new)


@event.listens_for(OrmSession, "after_soft_rollback")
def _forget(session, _previous_transaction) -> None:
    if not session.in_transaction():
        session.info.pop("new_notifications", None)


@event.listens_for(OrmSession, "after_commit")
def _send_after_commit(session) -> None:
    new = session.info.pop("new_notifications", None)
    if not new or not has_app_context() or not current_app.config.get("SMTP_HOST"):
        return
    ids = [notification.id for notification in new]
    import smtplib  # on first use (issue 12)

    try:
        deliver(ids)
    except (OSError, smtplib.SMTPException) as error:  # the edit is saved; mail can wait
        log.warning("notification e-mail not sent: %s", error)


def deliver(notification_ids: list[int]) -> int:
    """E-mail these notifications (those not e-mailed yet); returns how many were sent."""
    from wiki.notifications import describe_all

    engine = current_app.extensions["engine"]
    with Session(engine, expire_on_commit=False) as session:
        rows = list(session.exec(select(Notification).where(
            Notification.id.in_(notification_ids), Notification.emailed_at.is_(None))))
        rows = [row for row in rows if notifications.wants_email(session, row.user_id)]
        if not rows:
            return 0
        def build() -> list[EmailMessage]:
            told = describe_all(rows, session)
            return [_message(session, row, item) for row, item in zip(rows, told, strict=True)]

        messages = _with_url_context(build)
        _send(messages)
        session.execute(update(Notification).where(Notification.id.in_([r.id for r in rows]))
                        .values(emailed_at=utcnow()))
        session.commit()
    return len(messages)


def _with_url_context(build):
    """Links in mails are absolute; outside a request they are built on PUBLIC_URL."""
    if has_request_context():
        return build()
    with current_app.test_request_context(base_url=current_app.config["PUBLIC_URL"]):
        return build()


def _message(session: Session, row: Notification, told) -> EmailMessage:
    from flask import request

    user = session.get(User, row.user_id)
    url = told.url if told.url.startswith("http") else request.host_url.rstrip("/") + told.url
    with force_locale("en"):  # users have no language preference of their own yet
        message = EmailMessage()
        message["Subject"] = f"[practice-wiki] {told.message}"
        message["From"] = current_app.config["MAIL_FROM"]
        message["To"] = user.email
        body = [told.message, ""]
        if told.excerpt:
            body += [f"> {told.excerpt}", ""]
        body += [url, "", _("You get this e-mail because you watch this page or were "
                            "mentioned. Change it at %(url)s",
                            url=request.host_url.rstrip("/") + "/notifications")]
        message.set_content("\n".join(body))
    return message


def _send(messages: list[EmailMessage]) -> None:
    import smtplib  # on first use (issue 12)

    config = current_app.config
    with smtplib.SMTP(config["SMTP_HOST"], config["SMTP_PORT"], timeout=SMTP_TIMEOUT) as smtp:
        if config["SMTP_STARTTLS"]:
            smtp.starttls()
        if config["SMTP_USERNAME"]:
            smtp.login(config["SMTP_USERNAME"], config["SMTP_PASSWORD"])
        for message in messages:
            smtp.send_message(message)
