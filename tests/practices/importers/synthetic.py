"""Synthetic WOCAT records in both formats, written for our tests and the benchmark.

They follow the shapes described in ../shared/wocat/README.md but hold made-up text only
(the real samples carry personal data and a non-commercial licence and stay in shared/).
`size` makes a record weigh about that many bytes, in the proportions of the real samples:
free text is about a quarter of a new-API record (7810: 16,000 characters of text in
62 kB) and a twentieth of a v2 detail (1724: 13,000 characters in 303 kB); the rest is
structure the importer reads past (image renditions; unanswered questions with their
labels and choice lists).
"""

import json

WORDS = ["soil", "water", "cover", "bund", "terrace", "mulch", "compost", "tree", "shrub", "grass",
         "slope", "runoff", "infiltration", "carbon", "farmer", "village", "season", "rain",
         "harvest", "seed", "yield"]


def _text(seed: int, words: int) -> str:
    return " ".join(WORDS[(seed * 7 + index * 3) % len(WORDS)] for index in range(words))


def database_record(number: int, *, updated: str = "2026-01-01T10:00:00+00:00",
                    title: str | None = None, description: str | None = None,
                    languages: tuple[str, ...] = ("en",), size: int = 0) -> dict:
    """A record of the new WOCAT database API (`/api/database/technologies/<id>/`)."""
    primary = languages[0]
    description = description or f"Synthetic technology {number}. " + _text(number, 60)
    if size:
        description += " " + _text(number + 1, max(0, size // 4 // 6))
    def texts(text: str) -> dict:
        return {lang: text if lang == primary else f"[{lang}] {text}" for lang in languages}

    version = {
        "id": number + 100000, "technology": number, "edition": 2018, "status": 4,
        "updated_at": updated, "primary_language": primary, "languages": list(languages),
        "name": texts(title or f"Synthetic terrace {number}"),
        "definition": texts(f"Terraces that keep soil and water on slope {number}."),
        "description": texts(description), "country": "KE",
        "location_geometry": {"type": "MultiPoint", "coordinates": [[36.8, -1.3]]},
        "compiler": {"id": 1, "title": "Somewhere Street 1", "first_name": "Test",
                     "last_name": f"Compiler {number}"},
        "agroclimatic_zone": ["SEMIARID"], "landuse": {"value": ["CROPLAND"]},
        "slm_group": ["CROSSSLOPE", "GROUNDCOVER"],
        "slm_measures": {"value": ["STRUCTURAL"], "structural": ["S1"], "agronomic": []},
        "degradation": {"value": ["EROSION_WATER"], "erosion_water": ["Wt", "Wg"]},
        "rainfall": ["501_750"], "slopes": ["HILLY"], "altitudinalzone": ["1500_2000"],
        "soil_depth": ["SHALLOW"], "topsoil_organic": ["MEDIUM"],
        "impacts_ecological_soil": {
            "soil_organic_matter_below_ground_C": {"value": 2, "comment": texts("more SOM")},
            "soil_loss": {"value": 3, "comment": {}}},
        "establishment_cost_breakdown": {"labour": [
            {"specify_text": texts("digging"), "units": texts("person-day"), "quantity": 10,
             "cost_per_unit": 5, "percentage_costs": 50}]},
        "cost_calculation_currency": {"currency_base": "USD"},
        "strengths_landuser": [texts("less erosion")],
        "weaknesses_landuser": [{"weakness": texts("much labour"),
                                 "overcome": texts("work in groups")}],
    }
    record = {"id": number, "selected_version": version,
              "versions": [{"id": number + 100000, "updated_at": updated, "status": 4}]}
    if size:
        image = {"id": 0, "caption": {primary: ""}, "renditions": {
            name: f"https://wocat.net/media/qcat/images/{number}/{name}/photo.jpg"
            for name in ("original", "large", "medium", "small", "thumbnail", "square")}}
        count = max(0, size - len(json.dumps(record))) // len(json.dumps(image))
        version["images"] = [dict(image, id=index) for index in range(count)]
    return record


def _leaf(key: str, value) -> dict:
    return {"label": key, "value": [{"key": key, "value": value}]}


def _choice(key: str, labels: list) -> dict:
    return {"label": key, "value": [{"key": key, "values": labels}]}


def v2_detail(number: int, *, title: str | None = None, definition: str | None = None,
              description: str | None = None, size: int = 0) -> dict:
    """A QCAT API v2 detail tree (labels, not keywords), in English."""
    description = description or f"Synthetic v2 technology {number}. " + _text(number, 60)
    if size:
        description += " " + _text(number + 2, max(0, size // 20 // 6))
    groups = {
        "qg_name": {"name": _leaf("Name", title or f"Synthetic bund {number}")},
        "qg_location": {"country": _leaf("Country", "Kenya")},
        "qg_location_map": {"location_map": {"label": "Map", "value": [{
            "value": json.dumps({"type": "FeatureCollection", "features": [
                {"type": "Feature", "geometry": {"type": "Point",
                                                  "coordinates": [37.1, -0.5]}}]}),
            "map_url": f"/en/wocat/technologies/view/technologies_{number}/map/"}]}},
        "tech_qg_1": {"tech_definition": _leaf("Definition",
                                               definition or f"Bunds on slope {number}.")},
        "tech_qg_2": {"tech_description": _leaf("Description", description)},
        "tech_qg_9": {"tech_landuse": _choice("Land use", [
            ["Cropland", "assets/img/pictos/land_1.png", None, "tech_lu_cropland"]])},
        "tech_qg_20": {"tech_slm_group": _choice("SLM group", ["cross-slope measure"])},
        "tech_qg_23": {"tech_measures_structural_sub": _choice("SLM measures",
                                                               ["S2: Bunds, banks"])},
        "tech_qg_28": {"degradation_erosion_water_sub": _choice(
            "Degradation", ["Wt: loss of topsoil/ surface erosion"])},
        "tech_qg_55": {"tech_agroclimatic_zone": _choice("Agro-climatic zone", ["sub-humid"])},
        "tech_qg_54": {"tech_rainfall": _choice("Rainfall", ["751-1,000 mm"])},
        "tech_qg_133": {"tech_impacts_soilorganicmatter": {"label": "soil organic matter",
                        "value": [{"value": "1", "all_values": [[1, "-3"]],
                                   "additional_translations": {"label_left": "decreased",
                                                               "label_right": "increased"}}]}},
        "tech_qg_222": {"tech_input_est_total_costs": _leaf("Total", 120.0)},
        "tech_qg_164": {"tech_input_dollar": _choice("Currency", ["US Dollars"])},
        "tech_qg_184": {"user_id": {"label": "User", "value": [
            {"value": f"Resource Person {number}", "user_id": "1"}]},
            "person_email_1": _leaf("E-mail", f"person{number}@example.org"),
            "person_phone_1": _leaf("Phone", "+41 31 631 88 22")},
    }
    if size:  # unanswered questions, as most of a real v2 detail is
        question = {"label": "Specify the main characteristics of the site (filler)",
                    "value": [{"key": "", "values": [], "all_values": [
                        [index, f"choice number {index} of a long list"]
                        for index in range(1, 9)]}]}
        count = max(0, size - len(json.dumps(groups))) // (len(json.dumps(question)) * 10 + 60)
        for index in range(count):
            groups[f"qg_filler_{index}"] = {f"filler_{n}": question for n in range(10)}
    children = {name: {"label": "", "children": questions}
                for name, questions in groups.items()}
    return {"section_general_information": {"label": "General", "children": {
        "tech__1": {"label": "General", "children": {
            "tech__1__1": {"label": "", "children": children}}}}}}


def v2_summary(number: int, updated: str = "2026-01-01T10:00:00Z") -> dict:
    return {"name": f"Synthetic bund {number}", "updated": updated,
            "code": f"technologies_{number}", "edition": "2015",
            "url": f"/en/wocat/technologies/view/technologies_{number}/",
            "translations": [["en", "English"]],
            "details": f"/en/api/v2/questionnaires/technologies_{number}/"}
