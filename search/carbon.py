"""IPCC Tier 1 carbon estimates in the index: written per sheet at index time, read back to
filter on "reaches 4 ‰" and to sort by the estimated gain for a chosen zone × soil.

A sheet's estimates depend only on its fields, so they are computed when its document is built
(`practices.carbon_sheet` remembers results: most sheets share a few changes). The document
keeps, per climate zone × soil class the sheet lists and the tables cover, a `zone:soil` word
in `carbon_meets` when the estimate reaches 4 ‰, and every cell's ‰/yr in the `carbon` column.
"""

from collections.abc import Iterable, Mapping
from typing import Any

from whoosh.searching import Searcher

from practices import carbon_sheet


def cell_key(climate_zone: str, soil_class: str) -> str:
    return f"{climate_zone}:{soil_class}"


def document_fields(fields: Mapping[str, Any]) -> dict[str, Any]:
    """The index fields of a sheet's estimates (none when it records no change)."""
    rates = carbon_sheet.per_mille_by_cell(fields)
    if not rates:
        return {}
    document: dict[str, Any] = {
        "carbon": encode({cell_key(*cell): rate for cell, (rate, _meets) in rates.items()})
    }
    meets = [cell_key(*cell) for cell, (_rate, reaches) in rates.items() if reaches]
    if meets:
        document["carbon_meets"] = " ".join(meets)
    return document


def encode(rates: Mapping[str, float]) -> bytes:
    return " ".join(f"{key}={rate:.6g}" for key, rate in rates.items()).encode("ascii")


def decode(data: bytes | None) -> dict[str, float]:
    rates = {}
    for item in (data or b"").decode("ascii").split():
        key, _sep, rate = item.partition("=")
        rates[key] = float(rate)
    return rates


def chosen_cells(zones: Iterable[str], soils: Iterable[str]) -> tuple[str, ...]:
    return tuple(cell_key(zone, soil) for zone in zones for soil in soils)


def best_rates(
    searcher: Searcher, docnums: Iterable[int], cells: tuple[str, ...]
) -> dict[int, float]:
    """docnum -> the best estimated ‰/yr among the chosen cells, for the documents that have
    an estimate in one of them."""
    reader = searcher.reader()
    if "carbon" not in reader.schema or not reader.has_column("carbon"):
        return {}  # an index built before these fields: `search rebuild` adds them
    column = reader.column_reader("carbon")
    wanted, found = set(cells), {}
    for docnum in docnums:
        try:
            data = column[docnum]
        except IndexError:  # a segment's column ends at its last document with a value
            continue
        if not data:
            continue
        rates = [rate for key, rate in decode(data).items() if key in wanted]
        if rates:
            found[docnum] = max(rates)
    return found
