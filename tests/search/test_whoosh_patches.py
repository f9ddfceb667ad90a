"""The local speed-ups of Whoosh write the same index files and read the same values."""

import random
from datetime import datetime

from whoosh import index
from whoosh.codec import base, whoosh3

from search.schema import build_schema

WORDS = ["mulch", "compost", "soil", "carbon", "trees", "water", "terraces", "cover"]


def documents(count: int) -> list[dict]:
    rng = random.Random(3)
    tail = [f"word{n}" for n in range(300)]
    docs = []
    for number in range(count):
        words = rng.choices(WORDS, k=rng.randint(1, 40)) + rng.choices(tail, k=rng.randint(0, 30))
        docs.append({
            "id": str(number), "slug": f"sheet-{number}", "title": f"Sheet {rng.choice(WORDS)}",
            f"text_{rng.choice(['en', 'fr', 'es'])}": " ".join(words),
            "spell": " ".join(set(words[:5])), "practice_group": rng.choice(["a", "b", "a b"]),
            "language": "en", "status": "published", "source": "local",
            "soc_change": rng.uniform(-1, 3), "updated": datetime(2026, 1, 1 + number % 28),
            "fingerprint": b"x"})
    return docs


def posting_files(directory, docs) -> dict[str, bytes]:
    directory.mkdir()
    ix = index.create_in(str(directory), build_schema())
    writer = ix.writer(compound=False)
    for doc in docs:
        writer.add_document(**doc)
    writer.commit()
    return {path.suffix: path.read_bytes() for path in directory.iterdir()
            if path.suffix in (".pst", ".trm")}


def test_postings_are_written_byte_for_byte_as_whoosh_writes_them(tmp_path, monkeypatch):
    docs = documents(400)  # common words fill several 128-posting blocks
    ours = posting_files(tmp_path / "ours", docs)
    monkeypatch.setattr(whoosh3.W3FieldWriter, "add_postings", base.FieldWriter.add_postings)
    upstream = posting_files(tmp_path / "upstream", docs)
    assert set(ours) == {".pst", ".trm"} and ours == upstream


def test_field_lengths_read_in_one_go_are_the_length_column(tmp_path):
    docs = documents(50)
    (tmp_path / "ix").mkdir()
    ix = index.create_in(str(tmp_path / "ix"), build_schema())
    with ix.writer() as writer:
        for doc in docs:
            writer.add_document(**doc)
    with ix.searcher() as searcher:
        perdoc = searcher.reader()._perdoc  # one segment: its per-document reader
        for field in ("title", "text_en", "text_fr", "practice_group"):
            name = whoosh3._lenfield(field)
            column = (perdoc.column_reader(name, whoosh3.LENGTHS_COLUMN)
                      if perdoc.has_column(name) else None)
            for docnum in range(len(docs)):
                expected = whoosh3.byte_to_length(column[docnum]) if column else 0
                assert (perdoc.doc_field_length(docnum, field) or 0) == expected


def test_a_searcher_reads_a_compound_segment_from_its_map_without_copying_it(tmp_path):
    """Whoosh copied each file of a compound segment into memory per searcher, so per thread
    of every web worker (35 MB each at 2,000 sheets)."""
    import tracemalloc

    from whoosh.query import Term

    ix = index.create_in(str(tmp_path), build_schema())
    writer = ix.writer()
    for doc in documents(3000):
        writer.add_document(**doc)
    writer.commit()
    segment_bytes = sum(path.stat().st_size for path in tmp_path.glob("*.seg"))
    assert segment_bytes > 200_000, "the index is one compound segment file"
    tracemalloc.start()
    try:
        with ix.searcher() as searcher:
            found = searcher.search(Term("text_en", "soil"), limit=5)
            assert found.scored_length() == 5
            held, _peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert held < segment_bytes / 4
