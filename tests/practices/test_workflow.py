"""The review workflow: draft → in review → published, returns with a comment, flagged edits."""

import pytest
from sqlmodel import select

from practices import audit, sheets, workflow
from practices.models import AuditEvent, ChangeLogEntry, Role, SheetStatus


def test_contributors_start_drafts_moderators_publish_directly(make_user):
    assert workflow.initial_status(make_user()) == SheetStatus.DRAFT
    assert workflow.initial_status(make_user(Role.MODERATOR)) == SheetStatus.PUBLISHED
    assert workflow.initial_status(make_user(Role.ADMIN)) == SheetStatus.PUBLISHED


def test_submit_return_resubmit_publish_is_audited(session, make_user, make_sheet):
    author, moderator = make_user(), make_user(Role.MODERATOR)
    sheet = make_sheet("Zaï pits", author=author, status="draft")
    workflow.submit(session, sheet, author)
    assert sheet.status == SheetStatus.IN_REVIEW
    workflow.return_to_authors(session, sheet, moderator, "Add the yields, please.")
    session.commit()
    info = workflow.status_info(session, sheet)
    assert sheet.status == SheetStatus.DRAFT
    assert info.returned.event.reason == "Add the yields, please."
    assert info.returned.actor.id == moderator.id
    workflow.submit(session, sheet, author, "Yields added.")
    workflow.publish(session, sheet, moderator)
    session.commit()
    info = workflow.status_info(session, sheet)
    assert sheet.status == SheetStatus.PUBLISHED and info.returned is None
    assert info.published_by.id == moderator.id and info.published_at is not None
    actions = [step.event.action for step in reversed(info.steps)]
    assert actions == ["sheet.submit", "sheet.return", "sheet.submit", "sheet.publish"]
    assert [step.actor.id for step in reversed(info.steps)] == [author.id, moderator.id,
                                                                 author.id, moderator.id]
    events = session.exec(select(AuditEvent).where(AuditEvent.action == "sheet.return")).all()
    assert events[0].details == {"before": "in_review", "after": "draft"}
    # each transition also told the search index (change log)
    logged = session.exec(select(ChangeLogEntry).where(ChangeLogEntry.sheet_id == sheet.id,
                                                       ChangeLogEntry.kind == "status")).all()
    assert len(logged) == 4


def test_return_needs_a_comment_and_changes_nothing_without(session, make_user, make_sheet):
    sheet = make_sheet(status="in_review")
    with pytest.raises(workflow.WorkflowError, match="comment"):
        workflow.return_to_authors(session, sheet, make_user(Role.MODERATOR), "   ")
    assert sheet.status == SheetStatus.IN_REVIEW
    assert audit.events_for(session, sheet) == []


def test_services_check_the_policy_themselves(session, make_user, make_sheet):
    contributor = make_user()
    sheet = make_sheet("Mine", author=contributor, status="in_review")
    with pytest.raises(workflow.NotAllowed):
        workflow.publish(session, sheet, contributor)
    with pytest.raises(workflow.NotAllowed):
        workflow.submit(session, sheet, contributor)  # already in review
    with pytest.raises(workflow.NotAllowed):
        theirs = make_sheet("Theirs", status="draft")
        workflow.submit(session, theirs, make_user())  # someone else's draft
    assert sheet.status == SheetStatus.IN_REVIEW


def _edit(session, sheet, editor, text="More detail."):
    content = sheets.Content.checked(title=sheet.title, body=text)
    sheets.revise(session, sheet, content, author=editor,
                  base_revision_id=sheet.current_revision_id, edit_summary="detail")
    return workflow.edited(session, sheet, editor, "detail")


def test_contributor_edits_are_flagged_when_the_organisation_asks(session, make_user,
                                                                  make_sheet, make_organization):
    careful, relaxed = make_organization(review_edits=True), make_organization()
    watched = make_sheet("Watched", organization=careful)
    free = make_sheet("Free", organization=relaxed)
    assert _edit(session, watched, make_user(organization=relaxed)) is True
    assert watched.status == SheetStatus.PUBLISHED and watched.needs_review
    assert _edit(session, free, make_user(organization=relaxed)) is False
    assert _edit(session, free, make_user(organization=careful), "Even more.") is True
    # (flagged because the editor's organisation asks for review of its members' edits)
    assert _edit(session, watched, make_user(Role.MODERATOR), "Checked.") is False
    session.commit()
    assert {s.slug for s in workflow.review_queue(session).flagged} == {"watched", "free"}
    workflow.approve_edits(session, watched, make_user(Role.MODERATOR), "Looks right.")
    session.commit()
    assert not watched.needs_review
    assert [s.slug for s in workflow.review_queue(session).flagged] == ["free"]


def test_drafts_are_not_flagged(session, make_user, make_sheet, make_organization):
    careful = make_organization(review_edits=True)
    author = make_user(organization=careful)
    draft = make_sheet(author=author, status="draft", organization=careful)
    assert _edit(session, draft, author) is False and not draft.needs_review


def test_review_queue_lists_sheets_in_review(session, make_sheet):
    make_sheet("A draft", status="draft")
    waiting = make_sheet("Waiting", status="in_review")
    assert workflow.review_queue(session).in_review == [waiting]
