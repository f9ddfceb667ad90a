"""A record of the new WOCAT database API (`/api/database/technologies/<id>/`) read into one
`wocat_record.Mapped` per language.

Classification values are enums ("ARID", "GRAZINGLAND", "S2"), free text is
`{lang: text}`, geometry is GeoJSON. `languages` lists the record's languages and
`primary_language` the original: every other language becomes a translation sheet.
Contact data is never read: persons give their names only (the compiler's "title" field
has been seen holding a postal address).
"""

import re
from collections.abc import Iterator
from typing import Any

from practices.importers import wocat_photos
from practices.importers.cleaning import clean_text
from practices.importers.incoming import bullets, bullets_of, inline, number, paragraph, parse_time
from practices.importers.wocat_record import PUBLIC_PAGE, Cost, Impact, Mapped, technology_number

ENVIRONMENT = (
    ("Water supply", "watersupply"), ("Water supply (other)", "watersupply_other"),
    ("Comments on water supply", "watersupply_comments"),
    ("Rainfall", "rainfall_specifications"), ("Meteorological station", "rainfall_meteostation"),
    ("Climate", "agroclimatic_zone_specifications"), ("Landforms", "landforms"),
    ("Topography", "topography_convex_concave"), ("Comments on topography",
                                                   "topography_comments"),
    ("Soil texture below 20 cm", "soil_texture_20cm"), ("Soils", "soil_comments"),
    ("Groundwater table", "groundwater"), ("Surface water", "surfacewater"),
    ("Water quality", "waterquality"), ("Salinization", "salinization_specification"),
    ("Flooding", "flooding_regularity"), ("Comments on water", "water_comments"),
    ("Species diversity", "speciesdiversity"), ("Habitat diversity", "habitatdiversity"),
    ("Biodiversity", "biodiversity_comments"), ("Sedentary or nomadic", "sedentary_nomadic"),
    ("Market orientation", "market_orientation"), ("Off-farm income", "offfarm_income"),
    ("Relative level of wealth", "wealth"), ("Individuals or groups", "individuals"),
    ("Mechanisation", "mechanisation"), ("Gender", "gender"), ("Age", "age_landusers"),
    ("Land users", "landuser_comments"), ("Land size", "land_size"),
    ("Scale", "land_size_relative"), ("Land ownership", "ownership"),
    ("Land use rights", "landuserights"), ("Water use rights", "wateruserights"),
    ("Comments on ownership", "ownership_comments"), ("Access to services", "access_comments"),
)
ADOPTION = (
    ("Land users who adopted the Technology", "adoption_percentage"),
    ("Quantified", "adoption_quantify"), ("Adopted spontaneously", "adoption_spontaneously"),
    ("Comments on adoption", "adoption_comments"), ("Modified to adapt", "adaptation_yes"),
    ("Adapted to", "adaptation_modification"), ("Adaptation", "adaptation_specify"),
)
# Cost categories of the breakdowns, in the record's language (English otherwise).
CATEGORIES = {
    "fr": {"labour": "Main-d'œuvre", "equipment": "Équipement",
           "plant_material": "Matériel végétal", "fertilizers_biocides": "Engrais et biocides",
           "construction_material": "Matériaux de construction", "other": "Autre"},
    "es": {"labour": "Mano de obra", "equipment": "Equipo", "plant_material": "Material vegetal",
           "fertilizers_biocides": "Fertilizantes y biocidas",
           "construction_material": "Material de construcción", "other": "Otro"},
    "ar": {"labour": "العمالة", "equipment": "المعدات", "plant_material": "المواد النباتية",
           "fertilizers_biocides": "الأسمدة والمبيدات", "construction_material": "مواد البناء",
           "other": "أخرى"},
}
# The words of the body's labels for a new-API record, in the record's language (English
# for any language not listed): (English, French, Spanish, Arabic).
_LABELS = (
    ("Sites considered", "Sites pris en compte", "Sitios considerados", "المواقع المدروسة"),
    ("Spread", "Diffusion", "Difusión", "الانتشار"),
    ("Area", "Superficie", "Superficie", "المساحة"),
    ("Protected area", "Aire protégée", "Área protegida", "منطقة محمية"),
    ("Other purpose", "Autre objectif", "Otro propósito", "غرض آخر"),
    ("Year of implementation", "Année de mise en œuvre", "Año de implementación",
     "سنة التنفيذ"),
    ("Implemented", "Mise en œuvre", "Implementada", "نُفذت"),
    ("How it was introduced", "Mode d'introduction", "Cómo se introdujo", "طريقة إدخالها"),
    ("Introduction", "Introduction", "Introducción", "الإدخال"),
    ("Land use details", "Détails de l'utilisation des terres", "Detalles del uso de la tierra",
     "تفاصيل استخدام الأراضي"),
    ("Land use", "Utilisation des terres", "Uso de la tierra", "استخدام الأراضي"),
    ("Other SLM group", "Autre groupe GDT", "Otro grupo MST", "مجموعة أخرى"),
    ("SLM measures", "Mesures GDT", "Medidas MST", "تدابير الإدارة المستدامة"),
    ("Other measures", "Autres mesures", "Otras medidas", "تدابير أخرى"),
    ("Comments on measures", "Commentaires sur les mesures", "Comentarios sobre las medidas",
     "تعليقات على التدابير"),
    ("Degradation addressed", "Dégradation traitée", "Degradación abordada",
     "التدهور المعالَج"),
    ("Other degradation", "Autre dégradation", "Otra degradación", "تدهور آخر"),
    ("Degradation", "Dégradation", "Degradación", "التدهور"),
    ("Goal regarding degradation", "Objectif face à la dégradation",
     "Objetivo frente a la degradación", "الهدف المتعلق بالتدهور"),
    ("Comments", "Commentaires", "Comentarios", "تعليقات"),
    ("Access to services", "Accès aux services", "Acceso a servicios", "الوصول إلى الخدمات"),
    ("Remaining costs", "Autres coûts", "Costos restantes", "التكاليف المتبقية"),
    ("Most important cost factors", "Principaux facteurs de coût",
     "Factores de costo más importantes", "أهم عوامل التكلفة"),
    ("Exchange rate (local currency per USD)", "Taux de change (monnaie locale pour 1 USD)",
     "Tipo de cambio (moneda local por USD)", "سعر الصرف (العملة المحلية لكل دولار)"),
    ("Labour cost per day", "Coût de la main-d'œuvre par jour", "Costo de mano de obra por día",
     "تكلفة العمالة اليومية"),
    ("In the land users' view", "Selon les exploitants", "Según los usuarios de la tierra",
     "من وجهة نظر مستخدمي الأراضي"),
    ("In the compiler's view", "Selon le compilateur", "Según el compilador",
     "من وجهة نظر المُعِدّ"),
    ("Water supply", "Approvisionnement en eau", "Suministro de agua", "إمدادات المياه"),
    ("Water supply (other)", "Approvisionnement en eau (autre)", "Suministro de agua (otro)",
     "إمدادات المياه (أخرى)"),
    ("Comments on water supply", "Commentaires sur l'approvisionnement en eau",
     "Comentarios sobre el suministro de agua", "تعليقات على إمدادات المياه"),
    ("Rainfall", "Précipitations", "Precipitación", "الأمطار"),
    ("Meteorological station", "Station météorologique", "Estación meteorológica",
     "محطة الأرصاد"),
    ("Climate", "Climat", "Clima", "المناخ"),
    ("Landforms", "Formes du relief", "Formas del relieve", "أشكال التضاريس"),
    ("Topography", "Topographie", "Topografía", "الطبوغرافيا"),
    ("Comments on topography", "Commentaires sur la topographie",
     "Comentarios sobre la topografía", "تعليقات على الطبوغرافيا"),
    ("Soil texture below 20 cm", "Texture du sol sous 20 cm", "Textura del suelo bajo 20 cm",
     "قوام التربة تحت 20 سم"),
    ("Soils", "Sols", "Suelos", "التربة"),
    ("Groundwater table", "Nappe phréatique", "Nivel freático", "منسوب المياه الجوفية"),
    ("Surface water", "Eaux de surface", "Agua superficial", "المياه السطحية"),
    ("Water quality", "Qualité de l'eau", "Calidad del agua", "جودة المياه"),
    ("Salinization", "Salinisation", "Salinización", "التملح"),
    ("Flooding", "Inondations", "Inundaciones", "الفيضانات"),
    ("Comments on water", "Commentaires sur l'eau", "Comentarios sobre el agua",
     "تعليقات على المياه"),
    ("Species diversity", "Diversité des espèces", "Diversidad de especies", "تنوع الأنواع"),
    ("Habitat diversity", "Diversité des habitats", "Diversidad de hábitats", "تنوع الموائل"),
    ("Biodiversity", "Biodiversité", "Biodiversidad", "التنوع البيولوجي"),
    ("Sedentary or nomadic", "Sédentaires ou nomades", "Sedentarios o nómadas", "مستقرون أو رحّل"),
    ("Market orientation", "Orientation du marché", "Orientación al mercado", "التوجه نحو السوق"),
    ("Off-farm income", "Revenus hors exploitation", "Ingresos fuera de la finca",
     "الدخل من خارج المزرعة"),
    ("Relative level of wealth", "Niveau relatif de richesse", "Nivel relativo de riqueza",
     "مستوى الثروة النسبي"),
    ("Individuals or groups", "Individus ou groupes", "Individuos o grupos", "أفراد أو مجموعات"),
    ("Mechanisation", "Mécanisation", "Mecanización", "المكننة"),
    ("Gender", "Genre", "Género", "الجنس"),
    ("Age", "Âge", "Edad", "العمر"),
    ("Land users", "Exploitants", "Usuarios de la tierra", "مستخدمو الأراضي"),
    ("Land size", "Taille des terres", "Tamaño de la tierra", "مساحة الأرض"),
    ("Scale", "Échelle", "Escala", "النطاق"),
    ("Land ownership", "Propriété foncière", "Propiedad de la tierra", "ملكية الأرض"),
    ("Land use rights", "Droits d'utilisation des terres", "Derechos de uso de la tierra",
     "حقوق استخدام الأراضي"),
    ("Water use rights", "Droits d'utilisation de l'eau", "Derechos de uso del agua",
     "حقوق استخدام المياه"),
    ("Comments on ownership", "Commentaires sur la propriété", "Comentarios sobre la propiedad",
     "تعليقات على الملكية"),
    ("Land users who adopted the Technology", "Exploitants ayant adopté la technologie",
     "Usuarios que adoptaron la tecnología", "مستخدمو الأراضي الذين تبنوا التقنية"),
    ("Quantified", "Quantification", "Cuantificación", "التقدير الكمي"),
    ("Adopted spontaneously", "Adoptée spontanément", "Adoptada espontáneamente",
     "تبنٍّ تلقائي"),
    ("Comments on adoption", "Commentaires sur l'adoption", "Comentarios sobre la adopción",
     "تعليقات على التبني"),
    ("Modified to adapt", "Modifiée pour s'adapter", "Modificada para adaptarse",
     "عُدّلت للتكيف"),
    ("Adapted to", "Adaptée à", "Adaptada a", "تكيفت مع"),
    ("Adaptation", "Adaptation", "Adaptación", "التكيف"),
)
LABELS = {row[0]: dict(zip(("fr", "es", "ar"), row[1:], strict=True)) for row in _LABELS}
MEASURE_LISTS = ("agronomic", "vegetative", "structural", "management")
DEGRADATION_LISTS = ("erosion_water", "erosion_wind", "chemical", "physical", "biological",
                     "water_sub")


def is_record(data: dict) -> bool:
    return isinstance(data.get("selected_version"), dict) or (
        "primary_language" in data and isinstance(data.get("name"), dict))


def read(data: dict) -> Iterator[Mapped]:
    version = data.get("selected_version") if isinstance(data.get("selected_version"),
                                                         dict) else data
    technology = technology_number(data.get("id") or version.get("technology"))
    if technology is None:
        raise ValueError("the record has no technology id")
    primary = version.get("primary_language") or "en"
    languages = [primary] + [lang for lang in version.get("languages") or () if lang != primary]
    for language in languages:
        yield _read_language(technology, version, language, primary)


class Texts:
    """Free text in one language, falling back to the original only where asked."""

    def __init__(self, language: str, primary: str):
        self.language, self.primary = language, primary

    def __call__(self, value: Any, fallback: bool = False) -> str:
        if isinstance(value, dict):
            text = value.get(self.language)
            if not text and fallback:
                text = value.get(self.primary) or next(iter(value.values()), "")
            return clean_text(text)
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            return clean_text(value)
        return ""

    def label(self, english: str) -> str:
        """A label of the body in the record's language (English when not translated)."""
        return LABELS.get(english, {}).get(self.language, english)

    def answer(self, value: Any) -> str:
        """Any answer as words: enums lower-cased, booleans as yes/no, lists joined."""
        if isinstance(value, bool):
            return "yes" if value else "no"
        if isinstance(value, list):
            return ", ".join(filter(None, (self.answer(item) for item in value)))
        if isinstance(value, dict):
            return self(value)
        if isinstance(value, str) and (value.isupper() or "_" in value):
            words = re.sub(r"(\d)_(\d)", "\\1–\\2", value)
            words = words.replace("LESS_", "< ").replace("_PLUS", "+")
            return words.replace("_", " ").lower()
        return self(value)


def _read_language(technology: int, version: dict, language: str, primary: str) -> Mapped:
    t = Texts(language, primary)
    record = Mapped(
        id=technology, language=language, edition=str(version.get("edition") or ""),
        updated=parse_time(version.get("updated_at")), title=t(version.get("name"), True),
        original_language=None if language == primary else primary,
        local_name=t(version.get("name_local")), definition=t(version.get("definition"), True),
        country=str(version.get("country") or ""),
        public_url=PUBLIC_PAGE.format(lang=language, id=technology))
    record.points = _points(version.get("location_geometry"))
    _classification(version, record, t)
    _costs(version, record, t)
    _impacts(version, record, t)
    _conclusions(version, record, t)
    record.people = _people(version, t)
    record.photos = wocat_photos.from_database(version, t)
    return record


def _points(geometry: Any) -> list[list[float]]:
    if not isinstance(geometry, dict):
        return []
    coordinates = geometry.get("coordinates") or []
    if geometry.get("type") == "Point":
        coordinates = [coordinates]
    return [[float(point[0]), float(point[1])] for point in coordinates
            if isinstance(point, list) and len(point) >= 2]


def _described(version: dict, t: Texts, pairs) -> list[str]:
    return [paragraph(t.label(label), t.answer(version.get(key))) for label, key in pairs
            if t.answer(version.get(key))]


def _classification(version: dict, record: Mapped, t: Texts) -> None:
    record.add("description", paragraph(None, t(version.get("description"))))
    place = ", ".join(filter(None, (t(version.get("further_location")),
                                    t(version.get("state_province")), record.country)))
    record.add("location", paragraph(None, place), paragraph(None,
                                                              t(version.get("location_comments"))),
               *_described(version, t, (("Sites considered", "sites_considered"),
                                        ("Spread", "spread_of_technology"),
                                        ("Area", "spread_of_technology_area"),
                                        ("Protected area", "location_protected_specify"))))
    record.code("purposes", "purposes", "Main purpose", version.get("main_purpose") or ())
    record.add("purpose", *_described(version, t, (
        ("Other purpose", "main_purpose_other"), ("Year of implementation", "implementation_year"),
        ("Implemented", "implementation_decades"), ("How it was introduced", "who_implemented"),
        ("Introduction", "who_implemented_comments"))))
    landuse = version.get("landuse") or {}
    record.code("land_use", "land_use", "Land use", landuse.get("value") or ())
    record.code("practice_groups", "practice_groups", "SLM group", version.get("slm_group") or ())
    measures = version.get("slm_measures") or {}
    record.code("measures", "measures", "SLM measure",
                [code for name in MEASURE_LISTS for code in measures.get(name) or ()])
    tillage = measures.get("agronomic_tillage")
    record.tillage = [str(value) for value in (
        tillage if isinstance(tillage, list) else [tillage]) if value]
    degradation = version.get("degradation") or {}
    record.code("degradation_addressed", "degradation_addressed", "Degradation",
                [code for name in DEGRADATION_LISTS for code in degradation.get(name) or ()])
    details = [paragraph(t.label("Land use details"), _land_use_details(landuse, t)),
               paragraph(t.label("Land use"), t(version.get("landuse_comments"))),
               paragraph(t.label("Other SLM group"), t(version.get("slm_group_other"))),
               paragraph(t.label("SLM measures"), t.answer(measures.get("value"))),
               paragraph(t.label("Other measures"), t(measures.get("other"))),
               paragraph(t.label("Comments on measures"), t(measures.get("comments"))),
               paragraph(t.label("Degradation addressed"), t.answer(degradation.get("value"))),
               paragraph(t.label("Other degradation"), t(degradation.get("other"))),
               *_described(version, t, (("Degradation", "degradation_comments"),
                                        ("Goal regarding degradation", "prevention"),
                                        ("Comments", "prevention_comments")))]
    record.add("classification", *details)
    for drawing in version.get("technical_drawings") or ():
        if isinstance(drawing, dict):
            record.add("specifications", paragraph(None, t(drawing.get("specifications"))))
    record.code("agro_climatic_zones", "agro_climatic_zones", "Agro-climatic zone",
                version.get("agroclimatic_zone") or ())
    for vocab, what, key in (("slope", "Slope", "slopes"), ("altitude", "Altitude",
                                                             "altitudinalzone"),
                             ("soil_depth", "Soil depth", "soil_depth"),
                             ("soil_texture", "Topsoil texture", "soil_texture_topsoil"),
                             ("topsoil_organic_matter", "Topsoil organic matter",
                              "topsoil_organic")):
        record.code(vocab, vocab, what, version.get(key) or ())
    record.rainfall_classes = list(version.get("rainfall") or ())
    record.rainfall_annual = number(version.get("rainfall_annual"))
    access = version.get("access_service_infrastructure") or {}
    blocks = _described(version, t, ENVIRONMENT)
    services = ", ".join(f"{name}: {t.answer(level)}" for name, level in access.items()
                         if isinstance(level, str) and name != "other_specify" and level)
    blocks.append(paragraph(t.label("Access to services"), services))
    record.add("environment", bullets_of(blocks))


def _land_use_details(landuse: dict, t: Texts) -> str:
    parts = []
    for name, detail in landuse.items():
        if name == "value" or not isinstance(detail, dict):
            continue
        answers = [t.answer(value) for value in detail.values() if t.answer(value)]
        if answers:
            parts.append(f"{name.replace('_', ' ')}: {'; '.join(answers)}")
    return ". ".join(parts)


def _costs(version: dict, record: Mapped, t: Texts) -> None:
    calculation = version.get("cost_calculation") or {}
    currency = version.get("cost_calculation_currency") or {}
    if str(currency.get("currency_base") or "").upper() == "USD":
        record.currency = "USD"
    record.currency_text = t(currency.get("currency_other"), True)
    if record.currency_text and not record.currency:
        record.notes.append(f"Currency “{record.currency_text}” kept as text.")
    if calculation.get("calculation_base") == "area":
        record.cost_unit = t(calculation.get("size_and_area_unit"), True)
    else:
        record.cost_unit = t(calculation.get("unit"), True)
    for name in ("establishment", "maintenance"):
        activities = [(t(item.get("activity")), t(item.get("timing")))
                      for item in version.get(f"{name}_activities") or () if isinstance(item,
                                                                                       dict)]
        record.add(name, "\n".join(
            f"{index}. {inline(activity)}" + (f" ({inline(timing)})"
                                                       if timing else "")
            for index, (activity, timing) in enumerate(
                [pair for pair in activities if pair[0]], 1)),
            paragraph(None, t(version.get(f"{name}_activities_comments"))))
        breakdown = version.get(f"{name}_cost_breakdown") or {}
        items = getattr(record, name)
        for category, rows in breakdown.items():
            for row in rows if isinstance(rows, list) else ():
                quantity, per_unit = number(row.get("quantity")), number(row.get("cost_per_unit"))
                total = quantity * per_unit if quantity is not None and per_unit is not None \
                    else number(row.get("total_costs"))
                what = t(row.get("specify_text"))
                kind = CATEGORIES.get(t.language, {}).get(category) or \
                    category.replace("_", " ").capitalize()
                items.append(Cost(f"{kind}: {what}".strip(": "),
                                  t(row.get("units")), quantity, per_unit, total,
                                  number(row.get("percentage_costs"))))
        if not items:
            setattr(record, f"{name}_total", number(version.get(f"{name}_total_estimation")))
        record.add(name, paragraph(t.label("Remaining costs"),
                                   t(version.get(f"{name}_remaining_costs"))),
                   paragraph(None, t(version.get(f"{name}_comments"))))
    record.add("benefits", paragraph(t.label("Most important cost factors"),
                                     t(version.get("most_important_cost_factors"))),
               paragraph(t.label("Exchange rate (local currency per USD)"),
                         t.answer(currency.get("exchange_rate"))),
               paragraph(t.label("Labour cost per day"), t(currency.get("labour_day_cost"))))


def _impacts(version: dict, record: Mapped, t: Texts) -> None:
    for key, block in version.items():
        if not key.startswith("impacts_") or not isinstance(block, dict):
            continue
        for indicator, answer in block.items():
            answers = answer if indicator == "other" and isinstance(answer, list) else [answer]
            for item in answers:
                if not isinstance(item, dict) or not isinstance(item.get("value"), int):
                    continue
                label = t(item.get("name"), True) if indicator == "other" else \
                    indicator.replace("_", " ").replace(" C", " C")
                record.impacts.append(Impact(
                    "other" if indicator == "other" else indicator, label, item["value"],
                    t(item.get("label_left")), t(item.get("label_right")),
                    t(item.get("comment"))))
    record.add("impacts", paragraph(None, t(version.get("onsite_impacts_comments"))),
               paragraph(None, t(version.get("impacts_offsite_comments"))))


def _conclusions(version: dict, record: Mapped, t: Texts) -> None:
    climate = []
    gradual = version.get("gradual_climate_change") or {}
    for name, answer in gradual.items():
        for item in answer if isinstance(answer, list) else [answer]:
            if isinstance(item, dict) and item:
                climate.append(paragraph(name.replace("_", " "), t.answer(list(item.values()))))
    for key, answers in version.items():
        if key.endswith("_disaster_coping") and isinstance(answers, dict):
            climate += [paragraph(name.replace("_", " "), t.answer(cope))
                        for name, cope in answers.items() if t.answer(cope)]
    record.add("climate", bullets_of(climate),
               paragraph(None, t(version.get("climate_change_comments"))))
    record.add("benefits", "\n".join(
        f"- {paragraph(key.removeprefix('costbenefit_').replace('_', ' '), t.answer(value))}"
        for key, value in version.items()
        if key.startswith("costbenefit_") and key != "costbenefit_comments" and value),
        paragraph(None, t(version.get("costbenefit_comments"))))
    record.add("adoption", *_described(version, t, ADOPTION))
    for who, label in (("landuser", t.label("In the land users' view")),
                       ("compiler", t.label("In the compiler's view"))):
        strengths = [t(item) for item in version.get(f"strengths_{who}") or ()]
        if any(strengths):
            record.add("strengths", f"**{label}**\n\n" + bullets(strengths))
        pairs = [(t(item.get("weakness")), t(item.get("overcome")))
                 for item in version.get(f"weaknesses_{who}") or () if isinstance(item, dict)]
        lines = [f"- {inline(weakness)}" + (f" → {inline(overcome)}"
                                                     if overcome else "")
                 for weakness, overcome in pairs if weakness]
        if lines:
            record.add("weaknesses", f"**{label}**\n\n" + "\n".join(lines))
    for reference in version.get("references") or ():
        if isinstance(reference, dict):
            citation = ". ".join(filter(None, (t(reference.get("title"), True),
                                               t(reference.get("source"), True))))
            if citation:
                record.references.append({"citation": citation})
    for link in version.get("links") or ():
        if isinstance(link, dict):
            url, title = t(link.get("url"), True), t(link.get("title"), True)
            if url or title:
                record.references.append({"citation": title or url, "url": url})
    record.add("references", paragraph(None, t(version.get("general_comments"))))


def _people(version: dict, t: Texts) -> list[str]:
    """The compiler and co-compilers, by name only."""
    people = [version.get("compiler")] + [
        person for person in version.get("key_resource_persons") or ()
        if isinstance(person, dict) and person.get("type") == "COCOMPILER"]
    names = []
    for person in people:
        if isinstance(person, dict):
            names.append(" ".join(filter(None, (t(person.get("first_name"), True),
                                                t(person.get("last_name"), True)))))
    return [name for name in names if name]
