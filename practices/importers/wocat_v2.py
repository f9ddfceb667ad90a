"""The QCAT API v2 detail tree (`/<lang>/api/v2/questionnaires/technologies_N/`) read into
a `wocat_record.Mapped`.

The tree is `section → category → subcategory → questiongroup → question {label, value}`,
in one language, with English labels instead of keywords for choices; repeating groups are
parallel lists. It carries no code, date or edition: those come from the list page (or the
file name) as a `hint`. Contact fields (phones, e-mails, addresses) are never read.
"""

import json
import re
from typing import Any

from practices.importers import wocat_photos
from practices.importers.cleaning import clean_text, one_line
from practices.importers.incoming import bullets, bullets_of, inline, number, paragraph
from practices.importers.wocat_record import PUBLIC_PAGE, Cost, Impact, Mapped, technology_number

_NOT_IMPACTS = {"quant_before", "quant_after", "specify", "comments", "other_specify",
                "other_labelleft", "other_labelright", "other_measure"}
_INPUTS = {"36": "Labour", "37": "Equipment", "38": "Plant material",
           "218": "Fertilizers and biocides", "39": "Construction material", "40": "Other",
           "45": "Labour", "46": "Equipment", "47": "Plant material",
           "219": "Fertilizers and biocides", "48": "Construction material", "49": "Other"}


def is_detail(data: dict) -> bool:
    return any(key.startswith("section_") and isinstance(value, dict)
               for key, value in data.items())


class Tree:
    """Question groups by keyword; a group that appears twice keeps its first answers."""

    def __init__(self, data: dict):
        self.groups: dict[str, dict[str, dict]] = {}
        self.group_labels: dict[str, str] = {}
        self.order: list[str] = []
        for section in data.values():
            if isinstance(section, dict):
                self._walk(section, "")

    def _walk(self, node: dict, name: str) -> None:
        children = node.get("children")
        if not isinstance(children, dict):
            return
        questions = {key: child for key, child in children.items()
                     if isinstance(child, dict) and "value" in child and "children" not in child}
        if questions and name:
            group = self.groups.setdefault(name, {})
            if name not in self.order:
                self.order.append(name)
                self.group_labels[name] = clean_text(node.get("label") or "")
            for key, question in questions.items():
                if not _answered(group.get(key)):
                    group[key] = question
        for key, child in children.items():
            if isinstance(child, dict) and key not in questions:
                self._walk(child, key)

    def items(self, group: str, key: str) -> list[Any]:
        question = self.groups.get(group, {}).get(key)
        value = question.get("value") if question else None
        return value if isinstance(value, list) else []

    def label(self, group: str, key: str) -> str:
        question = self.groups.get(group, {}).get(key)
        return clean_text(question.get("label")) if question else ""

    def texts(self, group: str, key: str) -> list[str]:
        """The answer of each repetition of the group, "" where unanswered."""
        return [clean_text(item.get("value")) if isinstance(item, dict)
                and not isinstance(item.get("value"), dict | list) else ""
                for item in self.items(group, key)]

    def text(self, group: str, key: str) -> str:
        return next((text for text in self.texts(group, key) if text), "")

    def raw(self, group: str, key: str) -> Any:
        return next((item.get("value") for item in self.items(group, key)
                     if isinstance(item, dict) and item.get("value") not in (None, "")), None)

    def choices(self, group: str, key: str) -> list[tuple[str, str | None]]:
        """(label, keyword) of every value chosen; image choices carry their keyword."""
        chosen = []
        for item in self.items(group, key):
            values = item.get("values") if isinstance(item, dict) else None
            for value in values or ():
                if isinstance(value, list) and value:
                    keyword = value[3] if len(value) > 3 and isinstance(value[3], str) else None
                    chosen.append((str(value[0]), keyword))
                elif isinstance(value, str):
                    chosen.append((value, None))
        return chosen

    def labels(self, group: str, key: str) -> list[str]:
        return [label for label, _keyword in self.choices(group, key)]

    def described(self, group: str, key: str) -> str:
        """"**Question:** answer" for descriptive answers kept as text in the body."""
        answer = ", ".join(clean_text(label) for label in self.labels(group, key))
        answer = answer or self.text(group, key)
        return paragraph(self.label(group, key), answer) if answer else ""


def _answered(question: dict | None) -> bool:
    if not question:
        return False
    value = question.get("value")
    return bool(value) and any(isinstance(item, dict) and (item.get("value") not in (None, "")
                               or item.get("values")) for item in value)


def read(data: dict, hint: dict) -> Mapped:
    tree = Tree(data)
    number_ = technology_number(hint.get("code")) or _find_code(data) \
        or technology_number(hint.get("filename"))
    if number_ is None:
        raise ValueError("cannot tell which WOCAT technology this is (no code)")
    language = hint.get("language") or "en"
    languages = [lang for lang, *_ in hint.get("translations") or ()] or [language]
    record = Mapped(
        id=number_, language=language, edition=str(hint.get("edition") or ""),
        updated=hint.get("updated"), title=tree.text("qg_name", "name"),
        original_language=languages[0] if languages[0] != language else None,
        local_name=tree.text("qg_name", "name_local"),
        definition=tree.text("tech_qg_1", "tech_definition"),
        country=tree.text("qg_location", "country"),
        public_url=PUBLIC_PAGE.format(lang=language, id=number_))
    record.points = _points(tree.raw("qg_location_map", "location_map"))
    _classification(tree, record)
    _environment(tree, record)
    _costs(tree, record)
    _impacts(tree, record)
    _conclusions(tree, record)
    record.people = _people(tree)
    record.photos = wocat_photos.from_v2(tree)
    return record


def _find_code(data: dict) -> int | None:
    match = re.search(r"technologies_(\d+)", json.dumps(data)[:400_000])
    return int(match.group(1)) if match else None


def _points(raw: Any) -> list[list[float]]:
    try:
        geometry = json.loads(raw) if isinstance(raw, str) else raw
    except ValueError:
        return []
    points: list[list[float]] = []
    features = geometry.get("features", [geometry]) if isinstance(geometry, dict) else []
    for feature in features:
        shape = feature.get("geometry", feature) if isinstance(feature, dict) else {}
        coordinates = shape.get("coordinates") if isinstance(shape, dict) else None
        if shape.get("type") == "Point":
            coordinates = [coordinates]
        for point in coordinates or ():
            if isinstance(point, list) and len(point) >= 2:
                points.append([float(point[0]), float(point[1])])
    return points


def _classification(tree: Tree, record: Mapped) -> None:
    record.add("description", paragraph(None, tree.text("tech_qg_2", "tech_description")))
    place = ", ".join(text for text in (tree.text("qg_location", "further_location"),
                                        tree.text("qg_location", "state_province"),
                                        record.country) if text)
    record.add("location", paragraph(None, place),
               paragraph(None, tree.text("tech_qg_225", "location_comments")),
               tree.described("tech_qg_3", "tech_sites_considered"),
               tree.described("tech_qg_4", "tech_spread_tech"),
               tree.described("tech_qg_4", "tech_spread_area"),
               paragraph(None, tree.text("tech_qg_4", "tech_spread_tech_comments")))
    purposes = tree.labels("tech_qg_6", "tech_main_purpose")
    record.code("purposes", "purposes", "Main purpose", purposes)
    record.add("purpose", bullets(clean_text(label) for label in purposes),
               paragraph(None, tree.text("tech_qg_6", "tech_main_purpose_other")),
               tree.described("tech_qg_160", "tech_implementation_year"),
               tree.described("tech_qg_160", "tech_implementation_decades"),
               tree.described("tech_qg_5", "tech_who_implemented"),
               paragraph(None, tree.text("tech_qg_5", "tech_who_implemented_comments")))
    for key in ("tech_landuse", "tech_landuse_2018"):
        for label, keyword in tree.choices("tech_qg_9", key):
            record.code("land_use", "land_use", "Land use", [keyword or label])
    for label, keyword in tree.choices("tech_qg_20", "tech_slm_group"):
        record.code("practice_groups", "practice_groups", "SLM group", [keyword or label])
    measures = [label for group in ("tech_qg_21", "tech_qg_22", "tech_qg_23", "tech_qg_24")
                for key in tree.groups.get(group, {}) if key.endswith("_sub")
                for label in tree.labels(group, key)]
    record.code("measures", "measures", "SLM measure", measures)
    record.tillage = [keyword or label for group, questions in tree.groups.items()
                      if "tech_agronomic_tillage" in questions
                      for label, keyword in tree.choices(group, "tech_agronomic_tillage")]
    degradation = [label for number_ in range(28, 34) for key in
                   tree.groups.get(f"tech_qg_{number_}", {}) if key.endswith("_sub")
                   for label in tree.labels(f"tech_qg_{number_}", key)]
    record.code("degradation_addressed", "degradation_addressed", "Degradation", degradation)
    details = [tree.described(group, key) for group in tree.order
               if re.fullmatch(r"tech_qg_(1[0-8]|7)", group)
               for key in tree.groups[group] if not key.endswith("_other")]
    details += [tree.described("tech_qg_8", "tech_measures"),
                tree.described("tech_qg_26", "tech_measures_comments"),
                tree.described("tech_qg_27", "tech_degradation"),
                tree.described("tech_qg_34", "degradation_comments"),
                tree.described("tech_qg_35", "tech_prevention"),
                tree.described("tech_qg_35", "tech_prevention_comments")]
    record.add("classification", *details)
    record.add("specifications", paragraph(None, tree.text("tech_qg_161", "tech_specifications")))


def _environment(tree: Tree, record: Mapped) -> None:
    record.code("agro_climatic_zones", "agro_climatic_zones", "Agro-climatic zone",
                tree.labels("tech_qg_55", "tech_agroclimatic_zone"))
    record.code("slope", "slope", "Slope", tree.labels("tech_qg_56", "tech_slopes"))
    record.code("altitude", "altitude", "Altitude",
                tree.labels("tech_qg_56", "tech_altitudinalzone"))
    record.code("soil_depth", "soil_depth", "Soil depth",
                tree.labels("tech_qg_58", "tech_soil_depth"))
    record.code("soil_texture", "soil_texture", "Topsoil texture",
                tree.labels("tech_qg_58", "tech_soil_texture_topsoil"))
    record.code("topsoil_organic_matter", "topsoil_organic_matter", "Topsoil organic matter",
                tree.labels("tech_qg_58", "tech_topsoil_organic"))
    record.rainfall_classes = tree.labels("tech_qg_54", "tech_rainfall")
    record.rainfall_annual = number(tree.raw("tech_qg_54", "tech_rainfall_annual"))
    blocks = [tree.described(group, key) for group in tree.order
              if re.fullmatch(r"tech_qg_(19|5[4-9]|6[0-7]|7[1-7]|226|227)", group)
              for key in tree.groups[group]
              if key not in ("tech_rainfall", "tech_agroclimatic_zone", "tech_slopes",
                             "tech_altitudinalzone", "tech_soil_depth", "tech_topsoil_organic",
                             "tech_soil_texture_topsoil", "tech_rainfall_annual")]
    record.add("environment", bullets_of(blocks))


def _costs(tree: Tree, record: Mapped) -> None:
    if any("dollar" in label.lower() or "usd" in label.lower()
           for label in tree.labels("tech_qg_164", "tech_input_dollar")):
        record.currency = "USD"
    record.currency_text = tree.text("tech_qg_164", "tech_input_national_currency")
    if record.currency_text and not record.currency:
        record.notes.append(f"Currency “{one_line(record.currency_text)}” kept as text.")
    base = " ".join(filter(None, (tree.text("tech_qg_163", "tech_perarea_size"),
                                  tree.text("tech_qg_162", "tech_input_perunit_unit"))))
    record.cost_unit = base
    for kind, activity_group, comment_group, total_group, rest_group in (
            ("est", "tech_qg_165", "tech_qg_166", "tech_qg_222", "tech_qg_93"),
            ("maint", "tech_qg_43", "tech_qg_44", "tech_qg_223", "tech_qg_52")):
        name = "establishment" if kind == "est" else "maintenance"
        activities = [f"{activity} ({timing})" if timing else activity for activity, timing in
                      zip(tree.texts(activity_group, f"tech_{kind}_activity"),
                          tree.texts(activity_group, f"tech_{kind}_timing") + [""] * 50,
                          strict=False) if activity]
        record.add(name, "\n".join(f"{index}. {inline(activity)}"
                                   for index, activity in enumerate(activities, 1)),
                   paragraph(None, tree.text(comment_group, f"tech_{kind}_comments")))
        items = getattr(record, name)
        for group, category in _INPUTS.items():
            prefix = f"tech_input_{kind}_"
            rows = zip(*(tree.texts(f"tech_qg_{group}", prefix + column) for column in
                         ("specify", "unit")), strict=False)
            numbers = [[number(item.get("value")) if isinstance(item, dict) else None
                        for item in tree.items(f"tech_qg_{group}", prefix + column)]
                       for column in ("quantity", "costs", "total_costs_pi", "percentage_costs")]
            for index, (what, unit) in enumerate(rows):
                values = [column[index] if index < len(column) else None for column in numbers]
                if what or any(value is not None for value in values):
                    items.append(Cost(f"{category}: {what}" if what else category, unit, *values))
        total = number(tree.raw(total_group, f"tech_input_{kind}_total_costs"))
        estimate = number(tree.raw("tech_qg_42" if kind == "est" else "tech_qg_50",
                                   f"tech_input_{kind}_total_estimation"))
        setattr(record, f"{name}_total", total if total is not None else estimate)
        record.add(name, tree.described(rest_group, f"tech_input_{kind}_remaining_costs"),
                   paragraph(None, tree.text(rest_group, f"tech_input_{kind}_comments")))
    record.add("benefits", tree.described("tech_qg_95", "tech_input_determinate_factors"),
               tree.described("tech_qg_164", "tech_input_exchange_rate"),
               tree.described("tech_qg_164", "tech_input_average_wage"))


def _impacts(tree: Tree, record: Mapped) -> None:
    for group in tree.order:
        questions = tree.groups[group]
        for key in questions:
            short = key.removeprefix("tech_impacts_")
            if not key.startswith("tech_impacts_") or short in _NOT_IMPACTS:
                continue
            score = _score(tree.items(group, key))
            if score is None:
                continue
            extra = (tree.items(group, key)[0] or {}).get("additional_translations") or {}
            record.impacts.append(Impact(
                short, tree.label(group, key), score, clean_text(extra.get("label_left")),
                clean_text(extra.get("label_right")), tree.text(group, "tech_impacts_specify")))
        if "tech_impacts_other_measure" in questions:
            names = tree.texts(group, "tech_impacts_other_specify")
            lefts = tree.texts(group, "tech_impacts_other_labelleft")
            rights = tree.texts(group, "tech_impacts_other_labelright")
            comments = tree.texts(group, "tech_impacts_specify")
            for index, item in enumerate(tree.items(group, "tech_impacts_other_measure")):
                score = _score([item])
                if score is not None and index < len(names) and names[index]:
                    record.impacts.append(Impact(
                        "other", names[index], score, _at(lefts, index), _at(rights, index),
                        _at(comments, index)))
    record.add("impacts", tree.described("tech_qg_229", "tech_impacts_comments"))


def _at(values: list[str], index: int) -> str:
    return values[index] if index < len(values) else ""


def _score(items: list[Any]) -> int | None:
    for item in items:
        if isinstance(item, dict) and item.get("all_values") and item.get("value") not in (
                None, ""):
            try:
                return int(str(item["value"]).strip())
            except ValueError:
                return None
    return None


def _conclusions(tree: Tree, record: Mapped) -> None:
    climate = []
    for group in tree.order:
        if re.fullmatch(r"tech_qg_(16[89]|17[0-9]|19[3-9]|20[0-9]|21[0-6])", group):
            answer = ", ".join(text for text in (
                tree.text(group, "tech_exposure_other_specify"),
                tree.text(group, "tech_exposure_season"),
                tree.text(group, "tech_exposure_incrdecr"),
                tree.text(group, "tech_exposure_sensitivity")) if text)
            if answer:
                climate.append(paragraph(tree.group_labels.get(group) or group, answer))
    record.add("climate", bullets_of(climate),
               paragraph(None, tree.text("tech_qg_180", "tech_tolerance_comments")))
    benefits = [paragraph(f"{tree.group_labels.get(group, '')} {tree.label(group, key)}".strip(),
                          ", ".join(tree.labels(group, key)))
                for group in ("tech_qg_181", "tech_qg_182")
                for key in ("tech_costbenefit_est_short", "tech_costbenefit_est_long")
                if tree.labels(group, key)]
    record.add("benefits", bullets_of(benefits),
               paragraph(None, tree.text("tech_qg_183", "tech_costbenefit_comments")))
    record.add("adoption", *(tree.described(group, key) for group in
                             ("tech_qg_191", "tech_qg_230", "tech_qg_192")
                             for key in tree.groups.get(group, {})))
    for who in ("landusers", "compiler"):
        key = "landuser" if who == "landusers" else "compiler"
        texts = [text for text in tree.texts(f"qg_strengths_{who}", f"strengths_{key}") if text]
        if texts:
            record.add("strengths", f"**{tree.label(f'qg_strengths_{who}', f'strengths_{key}')}**"
                       + "\n\n" + bullets(texts))
        group = f"qg_weaknesses_{who}"
        pairs = [(weakness, overcome) for weakness, overcome in zip(
            tree.texts(group, f"weaknesses_{key}"),
            tree.texts(group, "weaknesses_overcome") + [""] * 50, strict=False) if weakness]
        if pairs:
            record.add("weaknesses", f"**{tree.label(group, f'weaknesses_{key}')}**\n\n"
                       + "\n".join(f"- {inline(weakness)}"
                                   + (f" → {inline(overcome)}" if overcome else "")
                                   for weakness, overcome in pairs))
    titles = tree.texts("qg_references", "references_title")
    sources = tree.texts("qg_references", "references_source")
    record.references = [{"citation": ". ".join(filter(None, (title, _at(sources, index))))}
                         for index, title in enumerate(titles) if title]
    for title, url in zip(tree.texts("qg_links", "links_title"),
                          tree.texts("qg_links", "links_url"), strict=False):
        if url or title:
            record.references.append({"citation": title or url, "url": url})


def _people(tree: Tree) -> list[str]:
    """Names of the key resource persons (the compilers of a 2015 record); nothing else."""
    users = tree.items("tech_qg_184", "user_id")
    firsts = tree.texts("tech_qg_184", "person_firstname")
    lasts = tree.texts("tech_qg_184", "person_lastname")
    names = []
    for index in range(max(len(users), len(firsts), len(lasts))):
        user = users[index] if index < len(users) else None
        name = clean_text(user.get("value")) if isinstance(user, dict) else ""
        names.append(name or " ".join(filter(None, (_at(firsts, index), _at(lasts, index)))))
    return [name for name in names if name]
