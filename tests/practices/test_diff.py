"""Word-level diffs between revisions read as phrases, fields included."""

from practices import diff
from practices.diff import Chunk, compare, word_diff
from practices.models import Revision


def test_changed_phrase_reads_as_one_removal_and_one_addition():
    chunks = word_diff("Dig half-moons across the slope.", "Dig half-moons of 4 m; add manure.")
    assert Chunk("delete", "across the slope") in chunks
    assert Chunk("insert", "of 4 m; add manure") in chunks


def test_words_added_to_a_line_stay_on_that_line():
    chunks = word_diff("- one\n- two\n", "- one\n- two changed\n- three\n")
    assert [(chunk.op, chunk.text) for chunk in chunks] == [
        ("equal", "- one\n- two"), ("insert", " changed"), ("equal", "\n"),
        ("insert", "- three\n")]


def test_unchanged_text_gives_one_equal_chunk():
    assert word_diff("Same text.", "Same text.") == (Chunk("equal", "Same text."),)


def test_inserted_word_keeps_its_neighbours():
    chunks = word_diff("Sow rye after maize.", "Sow cereal rye after maize.")
    assert [chunk.op for chunk in chunks] == ["equal", "insert", "equal"]
    assert "".join(c.text for c in chunks if c.op != "delete") == "Sow cereal rye after maize."


def revision(body="", **fields):
    return Revision(sheet_id=1, number=1, title="T", summary="", body=body, fields=fields)


def test_compare_lists_text_and_structured_fields_that_changed():
    diff = compare(revision("a", agro_climatic_zones=["arid"], soc_change_t_c_ha_yr=0.2),
                   revision("b", agro_climatic_zones=["arid", "semi-arid"],
                            soc_change_t_c_ha_yr=0.2))
    assert [change.name for change in diff.changes] == ["body", "agro_climatic_zones"]
    zones = diff.changes[1]
    assert Chunk("insert", "\nsemi-arid") in zones.chunks


def test_compare_uses_the_describer_for_labels():
    diff = compare(revision(countries=["BF"]), revision(countries=["NE"]),
                   describe=lambda name, value: ",".join(value or []).replace("NE", "Niger"))
    assert Chunk("insert", "Niger") in diff.changes[0].chunks


def _sides(chunks) -> tuple[str, str]:
    old = "".join(c.text for c in chunks if c.op != "insert")
    new = "".join(c.text for c in chunks if c.op != "delete")
    return old, new


def test_two_long_unrelated_bodies_are_shown_removed_and_added_whole():
    # Word by word, difflib costs the product of the lengths: minutes for two such bodies.
    old = " ".join(f"w{n % 51}" for n in range(0, 150_000, 7))
    new = " ".join(f"w{n % 53}" for n in range(0, 150_000, 3))
    chunks = word_diff(old, new)
    assert _sides(chunks) == (old, new)
    assert [chunk.op for chunk in chunks] == ["delete", "insert"]


def test_a_small_edit_in_a_long_body_is_still_shown_word_by_word():
    old = "\n".join(f"Line {n} about zai pits and compost." for n in range(20_000))
    new = old.replace("Line 700 about zai pits", "Line 700 about half-moons")
    chunks = word_diff(old, new)
    assert _sides(chunks) == (old, new)
    assert Chunk("delete", "zai pits") in chunks and Chunk("insert", "half-moons") in chunks


def long_text(changed_line: str) -> str:
    lines = [f"Unchanged line {n}." for n in range(1, 61)]
    lines[30] = changed_line
    return "\n".join(lines)


def test_long_unchanged_stretches_are_folded_around_a_change():
    chunks = diff.with_context(diff.word_diff(long_text("Dig pits."), long_text("Dig deep pits.")))
    shown = "".join(chunk.text for chunk in chunks if chunk.op != "skip")
    assert "deep" in shown
    assert "Unchanged line 28." in shown and "Unchanged line 34." in shown  # 3 lines around
    assert "Unchanged line 27." not in shown and "Unchanged line 35." not in shown
    assert "Unchanged line 1." not in shown and "Unchanged line 60." not in shown
    skipped = [chunk for chunk in chunks if chunk.op == "skip"]
    assert [chunk.line_count for chunk in skipped] == [27, 26]
    # nothing is lost: the folded text can be shown on demand
    assert "".join(chunk.text for chunk in chunks) == "".join(
        chunk.text for chunk in diff.word_diff(long_text("Dig pits."), long_text("Dig deep pits.")))


def test_short_texts_are_not_folded():
    chunks = diff.word_diff("one\ntwo\nthree", "one\n2\nthree")
    assert diff.with_context(chunks) == chunks
