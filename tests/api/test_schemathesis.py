"""Schemathesis against the live app: the OpenAPI document it serves drives generated requests
over HTTP, for an anonymous reader and for a contributor with a token, with every check
Schemathesis has (`schemathesis run … --checks all`): no server error, no response that
breaks its schema, no status code or header the document does not declare, 405s with `Allow`,
schema-valid requests accepted and schema-violating ones refused, authentication honoured.

Bounded: a few valid and a few invalid examples per operation, and a short stateful run that
follows the document's links (create a sheet -> read it -> list its revisions -> update it
with its revision)."""

import gc
import threading

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import CHECKS as REGISTERED_CHECKS
from schemathesis.checks import load_all_checks
from werkzeug.serving import make_server

from practices import measures, profiles
from practices.models import Role

load_all_checks()
CHECKS = [REGISTERED_CHECKS.get_one(name) for name in REGISTERED_CHECKS.get_all_names()]
# Rules that tie several fields together, which a JSON schema cannot state: a schema-valid
# request may break them, and then the domain answers 422 naming those fields. Everything
# else a schema-valid request gets must be accepted (Schemathesis' positive_data_acceptance).
SHEET_RULES = {"fields.rainfall_mm_max",  # not below the lower bound
               # at most 3 groups: the domain's rule, reported with the others at once
               "fields.practice_groups",
               "fields.carbon_land_use", "fields.carbon_baseline", "fields.carbon_practice"}
CROSS_FIELD_RULES = {
    "createPractice": SHEET_RULES,
    "updatePractice": SHEET_RULES,
    "estimateCarbon": {"baseline", "practice", "land_use", "edition"},  # levels per land use
    # the carbon order and filter need a climate zone and a soil chosen as well
    "listPractices": {"sort", "meets_4_per_1000"},
    "searchPractices": {"sort", "meets_4_per_1000"},
    # measures: the sheets must be published ones, the end year not before the start year
    "createMeasure": {"sheets", "end_year"},
    "updateMeasure": {"sheets", "end_year"},
    "getDashboard": {"year_to"},  # not before year_from
    "getDashboardFigure": {"year_to"},
}
# A title must show something (a letter, digit, symbol or punctuation mark): a JSON schema's
# regular expressions cannot name Unicode categories, so a title of control or zero-width
# characters is schema-valid and refused as blank.
TITLE_RULES = {operation: {"title"} for operation in (
    "createPractice", "updatePractice", "createMeasure", "updateMeasure", "startThread")}
DOMAIN_ANSWERS = {"estimateCarbon": {"no_ipcc_default"}}  # the tables have no default
EXAMPLES_PER_OPERATION = {GenerationMode.POSITIVE: 6, GenerationMode.NEGATIVE: 4}
STATEFUL_STEPS = 6
SETTINGS = dict(deadline=None, database=None, derandomize=True,
                suppress_health_check=list(HealthCheck),
                phases=[Phase.explicit, Phase.generate])


# The search service keeps one Whoosh searcher per thread; the server's thread ends with its
# searcher still open, and Python says so when it collects it (in this module's teardown).
pytestmark = [pytest.mark.filterwarnings("ignore::ResourceWarning"),
              pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")]


@pytest.fixture
def live_server(app, monkeypatch):
    """The test app served over HTTP on a free port, by one thread."""
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")  # should the machine have an HTTP proxy
    app.config["MAX_CONTENT_LENGTH"] = 2 * 1024 * 1024
    server = make_server("127.0.0.1", 0, app)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()
    server.server_close()
    gc.collect()  # here, not in somebody else's test


@pytest.fixture
def wiki_content(session, make_sheet, make_user, make_organization, make_college):
    """A small wiki: published and draft sheets, an organisation with a draft measure and a
    college."""
    home = make_organization("Sahel partner")
    author = make_user(organization=home)
    college = make_college("Research", members=(author,))
    make_sheet("Zai pits", author=author, organization=home, agro_climatic_zones=["semi-arid"],
               practice_groups=["agroforestry"], countries=["BF"], body="Pits hold runoff.")
    make_sheet("Draft of the partner", author=author, organization=home, status="draft")
    measure = measures.create(session, home, {"title": "Zai in Yatenga", "sheets": ["zai-pits"]},
                              author=None)
    session.commit()
    return {"home": home, "college": college, "measure": measure.id, "session": session}


def checks_for(case, response) -> list:
    """Every check, except that a 400/422 for breaking a cross-field rule (or a domain answer
    such as "no IPCC default") is not a schema-valid request wrongly refused."""
    if response.status_code in (400, 422) and _domain_refusal(case, response):
        return [check for check in CHECKS if check.__name__ != "positive_data_acceptance"]
    return CHECKS


def _domain_refusal(case, response) -> bool:
    operation = case.operation.definition.raw.get("operationId")
    error = response.json().get("error", {})
    if error.get("code") in DOMAIN_ANSWERS.get(operation, ()):
        return True
    fields = set(error.get("fields") or ())
    allowed = CROSS_FIELD_RULES.get(operation, set()) | TITLE_RULES.get(operation, set())
    return bool(fields) and fields <= allowed


def callers(who: str, make_user, make_token, content) -> dict[str, str]:
    """No token, or a contributor of the organisation who manages it (so that the measures'
    writes get past the permission check to the values)."""
    if who == "anonymous":
        return {}
    contributor = make_user(Role.CONTRIBUTOR, organization=content["home"])
    profiles.grant_manager(content["session"], content["home"], contributor,
                           actor=make_user(Role.MODERATOR))
    content["session"].commit()
    return make_token(contributor)


def existing(content) -> dict[str, dict[str, str]]:
    """Path parameters that name things that exist, by operationId (random slugs mostly
    find nothing)."""
    sheet = {"slug": "zai-pits"}
    return {"getPractice": sheet, "listRevisions": sheet, "getRevision": sheet,
            "updatePractice": sheet, "transitionPractice": {"slug": "draft-of-the-partner"},
            "getOrganization": {"slug": content["home"].slug},
            "getCollege": {"slug": content["college"].slug},
            "getVocabulary": {"name": "agro_climatic_zones"},
            "listThreads": sheet, "startThread": sheet,
            "listOrganizationMeasures": {"slug": content["home"].slug},
            "createMeasure": {"slug": content["home"].slug},
            **dict.fromkeys(("getMeasure", "updateMeasure", "transitionMeasure",
                             "deleteMeasure"), {"measure_id": content["measure"]}),
            "getDashboardFigure": {"figure": "coverage-agro-climatic"}}


@pytest.mark.parametrize("who", ["anonymous", "contributor"])
def test_generated_requests_conform(who, live_server, wiki_content, make_user, make_token):
    headers = callers(who, make_user, make_token, wiki_content)
    schema = schemathesis.openapi.from_url(f"{live_server}/api/v1/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 22

    fixed = existing(wiki_content)
    for operation in operations:
        for mode, examples in EXAMPLES_PER_OPERATION.items():
            strategies = [operation.as_strategy(generation_mode=mode)]
            if operation.definition.raw.get("operationId") in fixed:
                strategies.append(operation.as_strategy(
                    generation_mode=mode,
                    path_parameters=fixed[operation.definition.raw["operationId"]]))
            for strategy in strategies:
                @settings(max_examples=examples, **SETTINGS)
                @given(case=strategy)
                def check(case):
                    response = case.call(base_url=live_server, headers=headers)
                    case.validate_response(response, checks=checks_for(case, response),
                                           headers=headers)

                try:
                    check()
                except Unsatisfiable:
                    if mode is GenerationMode.POSITIVE:
                        raise  # (an operation without parameters has no invalid request)


def test_stateful_links_conform(live_server, wiki_content, make_user, make_token):
    """Follow the document's links (createPractice -> getPractice, listRevisions,
    updatePractice, transitionPractice; startThread -> getThread, addComment; createMeasure
    -> getMeasure, updateMeasure, transitionMeasure, deleteMeasure) as a contributor who
    manages the organisation."""
    headers = callers("contributor", make_user, make_token, wiki_content)
    schema = schemathesis.openapi.from_url(f"{live_server}/api/v1/openapi.json").include(
        operation_id=["createPractice", "getPractice", "listRevisions", "updatePractice",
                      "transitionPractice", "startThread", "getThread", "addComment",
                      "createMeasure", "getMeasure", "updateMeasure", "transitionMeasure",
                      "deleteMeasure"])
    machine = schema.as_state_machine()

    class Scenario(machine):
        def get_call_kwargs(self, case):
            return {"base_url": live_server, "headers": headers}

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(response, checks=checks_for(case, response), headers=headers,
                                   transport_kwargs=kwargs)

    Scenario.run(settings=settings(max_examples=STATEFUL_STEPS, stateful_step_count=5,
                                   **SETTINGS))
