"""The elements of one array in a JSON file, read one at a time, in memory linear in the file.

`ijson.items()` keeps the path of every open container as a string ("item.item.item..."), so
a file of nested brackets costs memory quadratic in its depth: 8,000 "[" took 166 MB, and a
100 kB upload of them would have taken tens of GB. `ijson.basic_parse()` keeps no path; this
module follows the path itself, refuses nesting deeper than any record needs, and turns
ijson's errors (cut-off files, NaN, numbers past 64 bits) into `UnreadableJSON`.
"""

from collections.abc import Iterator
from typing import IO, Any

MAX_DEPTH = 64  # a WOCAT record nests about 8 deep; an export's sheet fewer
OPENING = ("start_map", "start_array")
CLOSING = ("end_map", "end_array")


class UnreadableJSON(ValueError):
    """The file is not JSON we can read (the import views answer ValueError with a reason)."""


def items_at(handle: IO[bytes], keys: tuple[str, ...] = ()) -> Iterator[Any]:
    """Each element of the array under `keys` (object keys from the top; () for a file that
    is an array). Elements are yielded as they end, so a file that breaks off after good
    ones yields those, then raises `UnreadableJSON`."""
    import ijson  # imports only: web workers never load it (issue 12)

    try:
        yield from _elements(ijson.basic_parse(handle, use_float=True), keys)
    except ijson.JSONError as broken:
        raise UnreadableJSON(f"not valid JSON: {_first_line(broken)}") from None


def _elements(events, keys: tuple[str, ...]) -> Iterator[Any]:
    from ijson.common import ObjectBuilder

    open_containers: list[list] = []  # [event that opened it, its current key]
    builder, depth = None, 0  # the element being built, and how deep inside it we are
    for event, value in events:
        if builder is None and _in_wanted_array(open_containers, keys) \
                and event not in ("end_array", "map_key"):
            builder = ObjectBuilder()
        if builder is not None:
            builder.event(event, value)
            depth += (event in OPENING) - (event in CLOSING)
            _check_depth(len(open_containers) + depth)
            if depth == 0:
                yield builder.value
                builder = None
        elif event in OPENING:
            open_containers.append([event, None])
            _check_depth(len(open_containers))
        elif event in CLOSING:
            open_containers.pop()
        elif event == "map_key":
            open_containers[-1][1] = value


def _in_wanted_array(open_containers: list[list], keys: tuple[str, ...]) -> bool:
    if len(open_containers) != len(keys) + 1 or open_containers[-1][0] != "start_array":
        return False
    return all(kind == "start_map" and key == wanted
               for (kind, key), wanted in zip(open_containers, keys, strict=False))


def _check_depth(depth: int) -> None:
    if depth > MAX_DEPTH:
        raise UnreadableJSON(f"nested more than {MAX_DEPTH} levels deep")


def _first_line(error: Exception) -> str:
    """yajl's messages go on with a picture of the text around the error."""
    text = error.args[0] if error.args else str(error)
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return str(text).strip().splitlines()[0] if str(text).strip() else "unreadable"
