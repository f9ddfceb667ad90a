"""WOCAT SLM Technology records mapped onto sheets, whichever of the two formats they come in.

Two formats exist (see ../shared/wocat/README.md): the QCAT API v2 detail tree, whose
values are English labels (`wocat_v2`), and the new WOCAT database API record with keyword
enums and `{lang: text}` free text (`wocat_api`). Each reads its format into a `Mapped`
record per language (`wocat_record`); `to_incoming` turns that into the sheet an importer syncs.

Labels and keys go through `practices.vocab`; one that matches no code is kept as text in
the body and reported in the run's notes, never guessed.
"""

import re
from collections.abc import Iterator
from typing import Any

from practices.fields import URL_PATTERN
from practices.importers import wocat_api, wocat_v2
from practices.importers.cleaning import one_line
from practices.importers.incoming import Body, Failed, Incoming, bullets, paragraph, table
from practices.importers.wocat_record import Cost, Mapped
from practices.vocab import country_from_wocat, vocabulary

SOURCE = "wocat"
LICENSE = "cc-by-nc-sa-3.0"
MAX_POINTS = 50

HEADINGS = {
    "en": {"description": "Description", "location": "Location", "purpose": "Purpose",
           "classification": "Classification notes", "specifications": "Technical specifications",
           "establishment": "Establishment", "maintenance": "Maintenance",
           "environment": "Natural and human environment", "impacts": "Impacts",
           "climate": "Climate change and extremes", "benefits": "Costs and benefits",
           "adoption": "Adoption and adaptation", "strengths": "Strengths",
           "weaknesses": "Weaknesses and how to overcome them", "references": "References",
           "source": "Source"},
    "fr": {"description": "Description", "location": "Lieu", "purpose": "Objectifs",
           "classification": "Notes de classification",
           "specifications": "Spécifications techniques", "establishment": "Mise en place",
           "maintenance": "Entretien", "environment": "Environnement naturel et humain",
           "impacts": "Impacts", "climate": "Changement climatique et extrêmes",
           "benefits": "Coûts et bénéfices", "adoption": "Adoption et adaptation",
           "strengths": "Points forts", "weaknesses": "Points faibles et comment les surmonter",
           "references": "Références", "source": "Source"},
    "es": {"description": "Descripción", "location": "Ubicación", "purpose": "Propósito",
           "classification": "Notas de clasificación",
           "specifications": "Especificaciones técnicas", "establishment": "Establecimiento",
           "maintenance": "Mantenimiento", "environment": "Entorno natural y humano",
           "impacts": "Impactos", "climate": "Cambio climático y extremos",
           "benefits": "Costos y beneficios", "adoption": "Adopción y adaptación",
           "strengths": "Fortalezas", "weaknesses": "Debilidades y cómo superarlas",
           "references": "Referencias", "source": "Fuente"},
    "ar": {"description": "الوصف", "location": "الموقع", "purpose": "الغرض",
           "classification": "ملاحظات التصنيف", "specifications": "المواصفات الفنية",
           "establishment": "الإنشاء", "maintenance": "الصيانة",
           "environment": "البيئة الطبيعية والبشرية", "impacts": "الآثار",
           "climate": "تغير المناخ والظواهر المتطرفة", "benefits": "التكاليف والمنافع",
           "adoption": "التبني والتكيف", "strengths": "نقاط القوة",
           "weaknesses": "نقاط الضعف وكيفية التغلب عليها", "references": "المراجع",
           "source": "المصدر"},
}


# Column heads of the body's tables, by language (English for any other).
WORDS = {
    "en": ("Indicator", "Score (−3…+3)", "Direction", "Comment", "Input", "Unit", "Quantity",
           "Cost per unit", "Total", "% borne by land users"),
    "fr": ("Indicateur", "Note (−3…+3)", "Sens", "Commentaire", "Intrant", "Unité", "Quantité",
           "Coût unitaire", "Total", "% à la charge des exploitants"),
    "es": ("Indicador", "Puntuación (−3…+3)", "Dirección", "Comentario", "Insumo", "Unidad",
           "Cantidad", "Costo por unidad", "Total", "% a cargo de los usuarios de la tierra"),
    "ar": ("المؤشر", "الدرجة (−3…+3)", "الاتجاه", "تعليق", "المُدخل", "الوحدة", "الكمية",
           "تكلفة الوحدة", "الإجمالي", "% يتحملها مستخدمو الأراضي"),
}
_WORD_KEYS = ("indicator", "score", "direction", "comment", "input", "unit", "quantity",
              "per_unit", "total", "borne")
SOURCE_NOTES = {
    "fr": {"text": "Base de données mondiale GDT de WOCAT, technologie {id}{edition}. "
                   "Licence : CC BY-NC-SA 3.0.", "edition": ", questionnaire édition {edition}",
           "link": "Fiche originale"},
    "es": {"text": "Base de datos global de MST de WOCAT, tecnología {id}{edition}. "
                   "Licencia: CC BY-NC-SA 3.0.", "edition": ", cuestionario edición {edition}",
           "link": "Registro original"},
    "ar": {"text": "قاعدة بيانات WOCAT العالمية للإدارة المستدامة للأراضي، التقنية {id}{edition}. "
                   "الترخيص: CC BY-NC-SA 3.0.", "edition": "، إصدار الاستبيان {edition}",
           "link": "السجل الأصلي"},
}


def _words(language: str, *keys: str) -> tuple[str, ...]:
    words = dict(zip(_WORD_KEYS, WORDS.get(language, WORDS["en"]), strict=True))
    return tuple(words[key] for key in keys)


def source_id(technology: int, language: str, original: bool) -> str:
    base = f"wocat:technologies_{technology}"
    return base if original else f"{base}:{language}"


def to_incoming(record: Mapped) -> Incoming:
    """The sheet for one language version of a record."""
    fields: dict[str, Any] = {name: codes for name, codes in record.codes.items() if codes}
    notes = list(record.notes)
    fields["language"] = record.language
    if record.local_name:
        fields["local_name"] = one_line(record.local_name, 300)
    country = country_from_wocat(record.country) if record.country else None
    if country:
        fields["countries"] = [country]
    elif record.country:
        record.unmapped.append(("Country", record.country))
    points = [point for index, point in enumerate(record.points)
              if point not in record.points[:index]]
    if len(points) > MAX_POINTS:
        notes.append(f"Kept the first {MAX_POINTS} of {len(points)} location points.")
    if points:
        fields["locations"] = points[:MAX_POINTS]
    fields.update(_rainfall(record))
    fields["impacts"] = {impact.indicator: impact.score for impact in record.impacts
                         if impact.indicator and -3 <= impact.score <= 3}
    fields.update(_costs(record))
    fields["references"] = _references(record.references)
    fields.update(carbon_management(record, fields, notes))
    fields["license"] = LICENSE
    fields["attribution"] = _attribution(record)
    fields["source_url"] = record.public_url
    for what, label in record.unmapped:
        notes.append(f"{what}: “{label}” matches no code; kept as text.")
    return Incoming(
        key=source_id(record.id, record.language, record.original_language is None),
        title=one_line(record.title, 200) or f"WOCAT technology {record.id}",
        summary=one_line(record.definition, 1000), body=_body(record), fields=fields,
        source=SOURCE, source_url=record.public_url, source_updated=record.updated,
        translation_of=(source_id(record.id, record.original_language, True)
                        if record.original_language else None),
        notes=notes, photos=list(record.photos))


# The 2018 questionnaire's tillage of the Technology (A3.1-A3.3): qcat keywords, new-API enums
# and labels ("A 3.1: No tillage"), compared without case, spaces or punctuation.
TILLAGE = {"tillageno": "no-till", "no": "no-till", "notillage": "no-till",
           "a31notillage": "no-till", "tillagereduced": "reduced-tillage",
           "reduced": "reduced-tillage", "reducedtillage": "reduced-tillage",
           "a32reducedtillage30soilcover": "reduced-tillage", "tillagefull": "full-tillage",
           "full": "full-tillage", "fulltillage": "full-tillage",
           "a33fulltillage30soilcover": "full-tillage"}
LONG_TERM_CULTIVATED = "long-term-cultivated"


def tillage_level(value: str) -> str | None:
    return TILLAGE.get(re.sub(r"[^a-z0-9]", "", str(value).lower()))


def carbon_management(record: Mapped, fields: dict[str, Any], notes: list[str]) -> dict:
    """The IPCC Tier 1 management change, only where the record states it unambiguously:
    cropland (not grazing land) whose Technology is no-till or reduced tillage (A3.1, A3.2),
    against full tillage, the input unchanged. Every other record is left without one, and
    its import report says so."""
    levels = {level for value in record.tillage if (level := tillage_level(value))}
    land_uses = set(fields.get("land_use", ()))
    tillage = next(iter(levels)) if len(levels) == 1 else None
    if tillage in ("no-till", "reduced-tillage") and "cropland" in land_uses \
            and "grazing-land" not in land_uses:
        notes.append(f"IPCC management from the record's tillage ({record.tillage[0]}): "
                     f"full tillage -> {tillage} on long-term cultivated cropland, input "
                     "unchanged (medium).")
        return {"carbon_land_use": "cropland",
                "carbon_baseline": [LONG_TERM_CULTIVATED, "full-tillage", "medium-input"],
                "carbon_practice": [LONG_TERM_CULTIVATED, tillage, "medium-input"]}
    notes.append("IPCC management left empty: the record states no tillage change on "
                 "cropland (A3.1 no tillage or A3.2 reduced tillage), the only change it "
                 "gives unambiguously; enter the baseline and practice levels by hand.")
    return {}


def _rainfall(record: Mapped) -> dict[str, int]:
    if record.rainfall_annual:
        value = round(record.rainfall_annual)
        return {"rainfall_mm_min": value, "rainfall_mm_max": value}
    vocab = vocabulary("rainfall_classes")
    lows, highs = [], []
    for raw in record.rainfall_classes:
        code = vocab.from_wocat(raw) or vocab.from_label(raw)
        if code is None:
            record.unmapped.append(("Annual rainfall", one_line(raw)))
            continue
        low, _, high = code.replace("under-", "0-").replace("over-", "").partition("-")
        lows.append(int(low))
        highs.append(int(high) if high else None)
    if not lows:
        return {}
    result = {"rainfall_mm_min": min(lows)}
    if None not in highs:
        result["rainfall_mm_max"] = max(highs)
    return result


def _costs(record: Mapped) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for name, items, total in (("cost_establishment", record.establishment,
                                record.establishment_total),
                               ("cost_maintenance", record.maintenance,
                                record.maintenance_total)):
        breakdown = [item.total for item in items if item.total is not None]
        value = total if total is not None else (sum(breakdown) if breakdown else None)
        if value is not None and value >= 0:
            result[name] = round(value, 2)
    if result and record.currency:
        result["cost_currency"] = record.currency
    if result and record.cost_unit:
        result["cost_unit"] = one_line(record.cost_unit, 40)
    return result


def _references(references: list[dict[str, str]]) -> list[dict[str, str]]:
    cleaned = []
    for reference in references[:60]:
        citation = one_line(reference.get("citation"), 2000)
        url = one_line(reference.get("url"))
        if url and not URL_PATTERN.match(url):
            citation, url = one_line(f"{citation} {url}", 2000), ""
        if citation or url:
            cleaned.append({"citation": citation or url, "url": url} if url
                           else {"citation": citation})
    return cleaned


def _attribution(record: Mapped) -> str:
    names = list(dict.fromkeys(name for name in (one_line(p) for p in record.people) if name))
    text = ", ".join(names)
    suffix = "WOCAT Global SLM Database"
    return f"{text} ({suffix})"[:1000] if text else suffix


def _body(record: Mapped) -> str:
    headings = HEADINGS.get(record.language, HEADINGS["en"])
    body = Body(headings)
    english = HEADINGS["en"]
    if record.unmapped:
        record.add("classification", bullets(f"{what}: {label}" for what, label in
                                             record.unmapped))
    impacts = sorted(record.impacts, key=lambda i: (i.indicator != "soil_organic_matter",))
    if impacts:
        record.sections.setdefault("impacts", []).insert(0, table(
            _words(record.language, "indicator", "score", "direction", "comment"),
            ((impact.label, f"{impact.score:+d}",
              f"{impact.left} → {impact.right}" if impact.left or impact.right else "",
              impact.comment) for impact in impacts)))
    for name in ("establishment", "maintenance"):
        items = getattr(record, name)
        if items:
            record.add(name, _cost_table(items, record))
    record.add("source", _source_note(record))
    for name in english:
        body.section(name, *record.sections.get(name, ()))
    return body.text()


def _cost_table(items: list[Cost], record: Mapped) -> str:
    currency = record.currency or record.currency_text
    words = _words(record.language, "input", "unit", "quantity", "per_unit", "total", "borne")
    return table((*words[:3], f"{words[3]} {currency}".strip(), f"{words[4]} {currency}".strip(),
                  words[5]),
                 ((item.item, item.unit, _num(item.quantity), _num(item.per_unit),
                   _num(item.total), _num(item.land_users_pct)) for item in items))


def _num(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def _source_note(record: Mapped) -> str:
    """Where the sheet comes from, in the record's language (so that it reads in order in a
    right-to-left body too: the address is behind words, not written out)."""
    note = SOURCE_NOTES.get(record.language)
    if note is None:
        parts = [f"WOCAT Global SLM Database, technology {record.id}"]
        if record.edition:
            parts.append(f"questionnaire edition {record.edition}")
        text = paragraph(None, ", ".join(parts) + ". Licence: CC BY-NC-SA 3.0.")
        return text + f" <{record.public_url}>" if record.public_url else text
    edition = note["edition"].format(edition=record.edition) if record.edition else ""
    text = paragraph(None, note["text"].format(id=record.id, edition=edition))
    return text + f" [{note['link']}]({record.public_url})" if record.public_url else text


def map_record(data: Any, *, hint: dict | None = None) -> Iterator[Incoming | Failed]:
    """Every sheet one JSON record gives (one per language), in either WOCAT format.

    `hint` carries what a list page or the file name said: code, updated, edition, language.
    """
    hint = hint or {}
    if not isinstance(data, dict):
        yield Failed(str(hint.get("code", "?")), "Not a WOCAT record (expected a JSON object).")
        return
    try:
        if wocat_api.is_record(data):
            records = list(wocat_api.read(data))
        elif wocat_v2.is_detail(data):
            records = [wocat_v2.read(data, hint)]
        else:
            yield Failed(str(hint.get("code") or data.get("code") or "?"),
                         "Not a WOCAT technology record in a format this importer knows.")
            return
    except (KeyError, TypeError, ValueError, AttributeError) as broken:
        yield Failed(str(hint.get("code", "?")), f"Malformed record: {broken!r}"[:300])
        return
    for record in records:
        try:
            incoming = to_incoming(record)
            incoming.media_base = hint.get("media_base", "")  # set for records from an API
            yield incoming
        except (KeyError, TypeError, ValueError, AttributeError) as broken:
            yield Failed(source_id(record.id, record.language, True),
                         f"Malformed record: {broken!r}"[:300], record.title)
