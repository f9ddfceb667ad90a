"""What text the wiki stores: a name or a title must show something. Zero-width spaces,
byte-order marks, direction marks and combining marks alone made records whose names
looked blank (QA); each is refused as an empty name is, and nothing is stored."""

import pytest
from sqlmodel import select

from practices import accounts, discussions, measures, sheets, tokens
from practices.fields import InvalidFields
from practices.models import ApiToken, Thread, User
from practices.text import has_visible_character
from tests.conftest import PASSWORD

BLANK_LOOKING = ["", " \t ", "\u200b\u200b", "\ufeff", "\u202e\u0301\ufeff", "\u0301",
                 " \u200b\u2060\u00a0"]


@pytest.mark.parametrize("text", BLANK_LOOKING)
def test_spaces_format_characters_and_lone_marks_show_nothing(text):
    assert not has_visible_character(text)


@pytest.mark.parametrize("text", ["a", "\u200bZaï\u200b", "7", "€", "…", "中", "e\u0301"])
def test_a_letter_digit_symbol_or_punctuation_mark_shows(text):
    assert has_visible_character(text)


@pytest.mark.parametrize("name", BLANK_LOOKING[2:])
def test_a_blank_looking_sheet_or_measure_title_is_refused_as_empty(session, name):
    with pytest.raises(InvalidFields) as refused:
        sheets.Content.checked(title=name)
    assert refused.value.errors["title"].message == "A sheet needs a title."
    with pytest.raises(measures.MeasureError) as refused:
        measures.clean(session, {"title": name})
    assert refused.value.errors["title"] == "Give the measure a name."


@pytest.mark.parametrize("name", BLANK_LOOKING[2:])
def test_a_blank_looking_thread_title_is_refused_as_empty(session, make_sheet, make_user, name):
    sheet = make_sheet()
    with pytest.raises(discussions.DiscussionError, match="Give the thread a title."):
        discussions.start_thread(session, sheet, make_user(), title=name, body="Hello.")
    session.rollback()
    assert session.exec(select(Thread)).all() == []


@pytest.mark.parametrize("name", BLANK_LOOKING[2:])
def test_a_blank_looking_display_or_token_name_is_refused_as_empty(session, make_user, name):
    with pytest.raises(accounts.AccountError, match="Please give your name."):
        accounts.register(session, email="ama@example.org", name=name, password=PASSWORD,
                          organization_id=None, college_ids=[])
    with pytest.raises(tokens.TokenError, match="Give the token a name"):
        tokens.create(session, make_user(), name, key="a key")
    session.rollback()
    assert session.exec(select(User).where(User.email == "ama@example.org")).all() == []
    assert session.exec(select(ApiToken)).all() == []


def test_an_account_made_with_a_blank_looking_name_is_named_after_its_address(session):
    user = accounts.create_user(session, email="ama@example.org", name="\u200b",
                                password=PASSWORD)
    assert user.name == "ama"
