"""Text from users and imported records, in shapes that made regular expressions
quadratic (issue 11): each is read correctly. Speed: bench/pathological_bench.py."""

import pytest

from practices import accounts
from practices.discussions import MENTION
from practices.importers.cleaning import clean_text, markdown_text
from practices.slugs import slugify

N = 60_000


def test_a_comment_left_open_hides_the_rest_as_a_browser_would():
    assert clean_text("kept <!-- hidden") == "kept"
    assert clean_text("<!--" * N) == ""
    assert clean_text("a <!-- x --> b " * 3) == "a b a b a b"


def test_unfinished_tags_stay_text():
    assert clean_text("a<br" * N) == "a<br" * N
    assert markdown_text("line<br>next") == "line  \nnext"


def test_a_long_address_is_refused_at_once(session):
    with pytest.raises(accounts.AccountError):
        accounts.create_user(session, email="a@" + "." * N + "@", name="X",
                             password="correct horse battery staple")


def test_mentions_and_slugs_of_long_runs():
    assert MENTION.findall("@a" + "-" * N) == ["a"]
    assert MENTION.findall(" @ab-" * 1000) == ["ab"] * 1000
    assert slugify("-" * N + "Zaï pits" + "!" * N) == "zai-pits"
