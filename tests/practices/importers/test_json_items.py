"""Records read one at a time out of JSON files that may be broken or hostile: what was read
before a break is kept, and nesting or numbers no record has are refused with a reason."""

import io
import json

import pytest

from practices.importers.json_items import MAX_DEPTH, UnreadableJSON, items_at


def read(body: bytes, keys: tuple[str, ...] = ()) -> list:
    return list(items_at(io.BytesIO(body), keys))


def test_each_element_of_a_top_level_array_or_of_a_list_under_keys():
    export = {"format": "practice-wiki", "organizations": [{"slug": "a"}],
              "sheets": [{"title": "Zai", "fields": {"country": ["BF"]}}, {"title": "Mulch"}],
              "about": {"sheets": [9]}}
    body = json.dumps(export).encode()
    assert read(b'[1, {"a": [2, {"b": null}]}, "x"]') == [1, {"a": [2, {"b": None}]}, "x"]
    assert read(body, ("sheets",)) == export["sheets"]
    assert read(body, ("about", "sheets")) == [9]
    assert read(body, ("users",)) == []


def test_a_file_cut_off_after_two_records_gives_them_then_says_why():
    records = items_at(io.BytesIO(b'[{"n": 1}, {"n": 2}, {"n": 3'))
    assert [next(records), next(records)] == [{"n": 1}, {"n": 2}]
    with pytest.raises(UnreadableJSON, match="not valid JSON: parse error: premature EOF"):
        next(records)


@pytest.mark.parametrize("body", [b"[NaN]", b"[1e400]", b"[123456789012345678901234567890]",
                                  b'["\x00"]', b"[\xff\xfe]", b"[1,,2]"])
def test_what_json_or_its_numbers_cannot_hold_is_refused(body):
    with pytest.raises(UnreadableJSON, match="not valid JSON"):
        read(body)


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 10_000])
def test_brackets_nested_deeper_than_any_record_are_refused(depth):
    # ijson.items() kept a path per level: 10,000 "[" took 250 MB, 100,000 tens of GB.
    with pytest.raises(UnreadableJSON, match=f"nested more than {MAX_DEPTH} levels deep"):
        read(b"[" * depth)
    with pytest.raises(UnreadableJSON, match="nested more than"):
        read(b'{"sheets": [' + b'{"a": ' * depth, ("sheets",))
