"""Spreadsheets (CSV or XLSX), one sheet per row, in a documented column set.

The columns are the sheet's field names (see `COLUMNS`); only `title` is required. Cells
with several values separated by ";" (references: one per line). Vocabulary cells take a
code or a label in English, French or Spanish; countries a code or a name. A row with any
problem is rejected as a whole with one line per problem ("column: problem"): nothing of it
is written. The same column set is what `export csv` writes, so an export re-imports.
"""

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from practices.fields import FIELDS, FIELDS_BY_NAME, InvalidFields, text_error
from practices.impacts import IMPACT_INDICATORS
from practices.importers.incoming import Failed, Incoming
from practices.importers.sources import Item, SourceError
from practices.models import SheetStatus
from practices.sheets import Content
from practices.slugs import is_valid_slug, slugify
from practices.text import CONTROL_CHARACTER
from practices.vocab import country_from_wocat, normalize_label, vocabulary

SEPARATOR = ";"
TEXT_COLUMNS = ("slug", "title", "summary", "body", "translation_of", "status", "source_id")


@dataclass(frozen=True)
class Column:
    name: str
    description: str
    required: bool = False
    multiple: bool = False


def _columns() -> tuple[Column, ...]:
    columns = [
        Column("slug", "Address of the sheet (lower-case words and hyphens); made from the "
               "title when empty. A row whose slug exists updates that sheet."),
        Column("title", "Name of the practice.", required=True),
        Column("summary", "One-sentence definition."),
        Column("body", "The text of the sheet, in Markdown."),
        Column("translation_of", "Slug of the sheet this row translates."),
        Column("status", "published (default), draft, in_review or archived."),
    ]
    for spec in FIELDS:
        if spec.kind == "codes":
            description = (f"Codes or labels (en/fr/es) of the {spec.vocabulary} vocabulary, "
                           "separated by ;")
        elif spec.kind == "points":
            description = "Points as latitude, longitude separated by ; (e.g. 13.58, -2.37)"
        elif spec.kind == "impacts":
            description = ("indicator=score pairs separated by ; with scores from -3 to +3 "
                           f"(indicators: {', '.join(IMPACT_INDICATORS)})")
        elif spec.kind == "references":
            description = "One reference per line: the citation, then | and its DOI or URL."
        elif spec.kind == "code":
            description = f"A code or label of the {spec.vocabulary} vocabulary."
        else:
            description = spec.label + (f" ({spec.unit})" if spec.unit else "")
            if spec.help:
                description += f". {spec.help}"
        columns.append(Column(spec.name, description,
                              multiple=spec.kind in ("codes", "points", "impacts")))
    columns.append(Column("source_id", "Identifier in the source (e.g. "
                          "wocat:technologies_1724); rows with the same one update a sheet."))
    return tuple(columns)


COLUMNS = _columns()
COLUMN_NAMES = tuple(column.name for column in COLUMNS)
EXAMPLES = (
    {"title": "Mulching with crop residues", "slug": "mulching-with-crop-residues",
     "summary": "Crop residues are left on the soil surface to protect it and feed soil life.",
     "body": "## How to do it\n\nLeave at least 30 % of the soil covered after harvest.",
     "language": "en", "practice_groups": "improved-ground-cover; minimal-soil-disturbance",
     "measures": "A1; A2", "land_use": "Cropland", "agro_climatic_zones": "semi-arid",
     "countries": "Burkina Faso; NE", "locations": "13.58, -2.37",
     "soc_change_t_c_ha_yr": "0.3", "impacts": "soil_organic_matter=2; soil_loss=1",
     "references": "FAO (2017). Conservation agriculture. | https://www.fao.org/",
     "license": "cc-by-4.0", "attribution": "Example partner"},
    {"title": "Paillage avec les résidus de culture", "slug": "paillage-residus-de-culture",
     "summary": "Les résidus de culture sont laissés au sol pour le protéger.",
     "language": "fr", "translation_of": "mulching-with-crop-residues",
     "practice_groups": "Amélioration de la couverture du sol / végétale",
     "agro_climatic_zones": "semi-aride", "countries": "BF", "license": "cc-by-4.0"},
)


def read_rows(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """(spreadsheet row number, {column: value}) for each non-empty row; header is row 1.

    A file that is not the spreadsheet it claims to be stops the run (SourceError), as an
    unreadable WOCAT source does: no row of it can be reported."""
    try:
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            yield from _xlsx_rows(path)
        else:
            with path.open("r", encoding="utf-8-sig", newline="") as handle:
                yield from _csv_rows(handle)
    except UnicodeDecodeError:
        raise SourceError(f"{path.name} is not UTF-8 text: save the spreadsheet as CSV "
                          "(UTF-8) and try again.") from None
    except (OSError, zipfile.BadZipFile, csv.Error, KeyError) as broken:
        raise SourceError(f"{path.name} cannot be read as a spreadsheet ({broken}).") from None


def _csv_rows(handle: IO[str]) -> Iterator[tuple[int, dict[str, Any]]]:
    # The delimiter is the one the header line uses most (bodies hold commas and ";").
    header_line = handle.readline()
    handle.seek(0)
    delimiter = max((",", ";", "\t"), key=header_line.count)
    reader = csv.reader(handle, delimiter=delimiter)
    header = [name.strip() for name in next(reader, [])]
    for number, values in enumerate(reader, 2):  # numbered as a spreadsheet shows rows
        if any(value.strip() for value in values):
            yield number, dict(zip(header, values, strict=False))


def _xlsx_rows(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = [str(name or "").strip() for name in next(rows, ())]
        for number, values in enumerate(rows, 2):
            if any(value not in (None, "") for value in values):
                yield number, dict(zip(header, values, strict=False))
    finally:
        workbook.close()


def items(path: Path) -> Iterator[Item]:
    """The rows of a spreadsheet as sync items (rows are checked when loaded)."""
    unknown_reported = False
    for number, row in read_rows(path):
        unknown = [name for name in row if name and name not in COLUMN_NAMES]
        notes = [f"Column(s) not known, ignored: {', '.join(unknown)}"] if unknown \
            and not unknown_reported else []
        unknown_reported = unknown_reported or bool(unknown)
        parsed = parse_row(number, row)
        if isinstance(parsed, Incoming):
            parsed.notes.extend(notes)
        yield Item(parsed.key, None, lambda parsed=parsed: [parsed], f"row {number}")


def parse_row(number: int, row: dict[str, Any]) -> Incoming | Failed:
    if unreadable := _control_characters(row):  # before any value is echoed or looked up
        return Failed(f"row {number}", "\n".join(unreadable), f"row {number}")
    problems: list[str] = []
    text = {name: _text(row.get(name)) for name in TEXT_COLUMNS}
    title = text["title"]
    if not title:
        problems.append("title: a sheet needs a title")
    slug = text["slug"] or None
    if slug and not is_valid_slug(slug):
        problems.append("slug: use lower-case letters, digits and hyphens only")
    status = text["status"] or SheetStatus.PUBLISHED
    if status not in SheetStatus.ALL:
        problems.append(f"status: unknown status {status!r}")
    fields: dict[str, Any] = {}
    for spec in FIELDS:
        raw = row.get(spec.name)
        if raw is None or _text(raw) == "":
            continue
        try:
            fields[spec.name] = _value(spec, raw)
        except ValueError as problem:
            problems.append(f"{spec.name}: {problem}")
    label = f"row {number}"
    key = text["source_id"] or f"table:{slug or slugify(title)}"
    if title:  # the checks every sheet must pass, reported together with the rest
        problems.extend(problem for problem in _checked(fields, text) if problem not in problems)
    if problems:
        return Failed(label, "\n".join(problems), title or label)
    return Incoming(key=key, title=title, summary=text["summary"], body=text["body"],
                    fields=fields, source=_source(key), slug=slug, status=status,
                    translation_of=text["translation_of"] or None, origin=label)


def _checked(fields: dict[str, Any], text: dict[str, str]) -> list[str]:
    """The problems `Content.checked` finds in a row, one "column: problem" each."""
    from practices.importers.sync import describe_errors

    try:
        Content.checked(title=text["title"], summary=text["summary"], body=text["body"],
                        fields=fields)
    except InvalidFields as invalid:
        return describe_errors(invalid).split("\n")
    return []


def _control_characters(row: dict[str, Any]) -> list[str]:
    """One "column: problem" per cell holding a control character (NUL included): the
    domain's text rule, checked on every cell, so that a dry run finds what the real run
    would fail on."""
    problems = []
    for name, value in row.items():
        if isinstance(value, str) and (problem := text_error(value)):
            problems.append(f"{_printable(name)}: {problem.message % dict(problem.params)}")
    return problems


def _printable(name: Any) -> str:
    return CONTROL_CHARACTER.sub("?", str(name))


def _source(key: str) -> str:
    prefix = key.split(":", 1)[0]
    return prefix if prefix in ("wocat", "teca") and ":" in key else "table"


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace("\r\n", "\n").strip()


def _parts(value: Any) -> list[str]:
    return [part.strip() for part in _text(value).split(SEPARATOR) if part.strip()]


def _value(spec, raw: Any) -> Any:
    if spec.kind == "codes":
        return [_code(spec.vocabulary, part) for part in _parts(raw)]
    if spec.kind == "code":
        return _code(spec.vocabulary, _text(raw))
    if spec.kind in ("int", "float"):
        return raw if isinstance(raw, int | float) else _text(raw)
    if spec.kind == "points":
        points = []
        for part in _parts(raw):
            try:
                lat, lon = (float(number) for number in part.split(","))
            except ValueError:
                raise ValueError(f"{part!r} is not “latitude, longitude”") from None
            points.append([lon, lat])
        return points
    if spec.kind == "impacts":
        return dict(_impact(part) for part in _parts(raw))
    if spec.kind == "references":
        references = []
        for line in _text(raw).split("\n"):
            citation, _, url = line.partition(" | ")
            citation, url = citation.strip(), url.strip()
            if citation.startswith(("http://", "https://")) and not url:
                citation, url = citation, citation
            if citation or url:
                references.append({"citation": citation, "url": url} if url
                                  else {"citation": citation})
        return references
    return _text(raw)


def _code(vocabulary_name: str, text: str) -> str:
    if vocabulary_name == "countries":
        code = country_from_wocat(text)
    else:
        vocab = vocabulary(vocabulary_name)
        code = vocab.from_label(text) or vocab.from_wocat(text)
    if code is None:
        raise ValueError(f"unknown value {text!r} (use a code, or a label in English, "
                         "French or Spanish)")
    return code


_IMPACT_LABELS = {normalize_label(label): key for key, labels in IMPACT_INDICATORS.items()
                  for label in [key, key.replace("_", " "), *labels.values()]}


def _impact(part: str) -> tuple[str, int]:
    name, separator, score = part.replace(":", "=").rpartition("=")
    indicator = _IMPACT_LABELS.get(normalize_label(name))
    if not separator or indicator is None:
        raise ValueError(f"{part!r} is not “indicator=score” with a known indicator")
    try:
        return indicator, int(score.strip().replace("+", ""))
    except ValueError:
        raise ValueError(f"{part!r}: the score is a whole number from -3 to +3") from None


# Writing: the template and the CSV export share these helpers. ---------------------------


def row_of(title: str, summary: str, body: str, fields: dict, *, slug: str = "",
           status: str = "", translation_of: str = "", source_id: str = "") -> dict[str, str]:
    row = {"slug": slug, "title": title, "summary": summary, "body": body,
           "translation_of": translation_of, "status": status, "source_id": source_id}
    for spec in FIELDS:
        value = fields.get(spec.name)
        if value in (None, "", [], {}):
            row[spec.name] = ""
        elif spec.kind == "codes":
            row[spec.name] = f"{SEPARATOR} ".join(value)
        elif spec.kind == "points":
            row[spec.name] = f"{SEPARATOR} ".join(f"{_plain(lat)}, {_plain(lon)}"
                                                 for lon, lat in value)
        elif spec.kind == "impacts":
            row[spec.name] = f"{SEPARATOR} ".join(f"{key}={score:+d}"
                                                 for key, score in value.items())
        elif spec.kind == "references":
            row[spec.name] = "\n".join(
                " | ".join(filter(None, (ref.get("citation"), ref.get("url"))))
                for ref in value)
        elif spec.kind in ("int", "float"):
            row[spec.name] = _plain(value)
        else:
            row[spec.name] = str(value)
    return {name: row.get(name, "") for name in COLUMN_NAMES}


def _plain(number: float | int) -> str:
    """Every digit kept (a round trip must not move a point), no trailing ".0"."""
    if isinstance(number, float) and number.is_integer() and abs(number) < 1e15:
        return str(int(number))
    return str(number)


def template_csv() -> str:
    handle = io.StringIO()
    writer = csv.DictWriter(handle, fieldnames=COLUMN_NAMES, lineterminator="\n")
    writer.writeheader()
    for example in EXAMPLES:
        writer.writerow({name: example.get(name, "") for name in COLUMN_NAMES})
    return handle.getvalue()


def template_xlsx() -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Practices"
    sheet.append(list(COLUMN_NAMES))
    for example in EXAMPLES:
        sheet.append([example.get(name, "") for name in COLUMN_NAMES])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    guide = workbook.create_sheet("Columns")
    guide.append(["column", "required", "several values", "what it holds"])
    for column in COLUMNS:
        guide.append([column.name, "yes" if column.required else "",
                      "yes (separate with ;)" if column.multiple else "", column.description])
    codes = workbook.create_sheet("Vocabularies")
    codes.append(["vocabulary", "code", "English", "French", "Spanish"])
    for spec in FIELDS:
        if spec.vocabulary and spec.vocabulary not in ("countries", "languages"):
            for term in vocabulary(spec.vocabulary):
                codes.append([spec.vocabulary, term.code, term.label("en"), term.label("fr"),
                              term.label("es")])
    for book_sheet in (guide, codes):
        for cell in book_sheet[1]:
            cell.font = Font(bold=True)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def is_column(name: str) -> bool:
    return name in FIELDS_BY_NAME or name in TEXT_COLUMNS
