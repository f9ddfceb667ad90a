"""The interface in French and Spanish: chosen by link, remembered, or taken from the browser;
and catalogues whose translations keep every placeholder (a lost one would crash a page)."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = ROOT / "wiki" / "translations"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


@pytest.mark.parametrize(("lang", "nav", "headline"), [
    ("fr", "Pratiques", "Des pratiques qui stockent du carbone dans les sols"),
    ("es", "Prácticas", "Prácticas que aumentan el carbono del suelo"),
    ("en", "Practices", "Practices that build soil carbon"),
])
def test_the_home_page_speaks_the_chosen_language(client, lang, nav, headline):
    page = client.get(f"/?lang={lang}").text
    assert f'<html lang="{lang}"' in page
    assert f">{nav}</a>" in page and headline in page


def test_the_choice_is_remembered_across_pages(client, make_sheet):
    sheet = make_sheet(title="Zai pits", body="Dig.")
    client.get("/?lang=es").close()
    page = client.get(f"/practices/{sheet.slug}").text
    assert "Historial" in page and "De un vistazo" in page


def test_the_browser_language_is_used_when_nothing_was_chosen(client):
    page = client.get("/", headers={"Accept-Language": "fr-FR,fr;q=0.9,en;q=0.5"}).text
    assert "Des pratiques qui stockent du carbone dans les sols" in page


def test_errors_are_translated_too(client):
    with client.get("/practices/no-such-sheet?lang=fr") as response:
        assert response.status_code == 404
        assert "Il n’existe pas encore de fiche" in response.text
    with client.get("/no/such/page?lang=es") as response:
        assert response.status_code == 404
        assert "Página no encontrada" in response.text


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_every_message_is_translated_with_the_same_placeholders(lang):
    with (CATALOGUES / lang / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle)
    untranslated, broken = [], []
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(strings):
            untranslated.append(ids[0])
            continue
        wanted = set(PLACEHOLDER.findall(ids[-1]))
        if any(set(PLACEHOLDER.findall(string)) - wanted for string in strings) or \
                not set(PLACEHOLDER.findall(strings[-1])) >= wanted - {"count", "num"}:
            broken.append(ids[0])
    assert untranslated == [] and broken == []


@pytest.fixture(scope="module")
def messages_in_the_code(tmp_path_factory) -> set[str]:
    """What `make messages` would extract from the code and the templates today."""
    template = tmp_path_factory.mktemp("catalogue") / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "-q", "extract",
                    "-F", "babel.cfg", "-k", "N_", "-k", "_", "-o", str(template), "."],
                   cwd=ROOT, check=True)
    with template.open("rb") as handle:
        return {message.id if isinstance(message.id, str) else message.id[0]
                for message in read_po(handle) if message.id}


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_every_message_in_the_code_has_an_entry_in_the_catalogue(lang, messages_in_the_code):
    """A message marked in the code but missing from the catalogue shows in English on a
    French or Spanish page (the error pages' titles did)."""
    with (CATALOGUES / lang / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalogued = {message.id if isinstance(message.id, str) else message.id[0]
                      for message in read_po(handle) if message.id}
    assert sorted(messages_in_the_code - catalogued) == []


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_no_message_is_translated_twice(lang):
    """Two entries for one message: the catalogue keeps only one of them, so which
    translation readers see depends on the order of merges."""
    text = (CATALOGUES / lang / "LC_MESSAGES" / "messages.po").read_text(encoding="utf-8")
    keys = re.findall(r'^(?:msgctxt "(.*)"\n)?msgid "(.+)"$', text, re.M)
    assert sorted({key for key in keys if keys.count(key) > 1}) == []

def test_the_api_reference_page_speaks_french_and_spanish(client):
    assert "Référence de l'API" in client.get("/api/v1/docs?lang=fr").text.replace("&#39;", "'")
    assert "Referencia de la API" in client.get("/api/v1/docs?lang=es").text


def test_numbers_and_units_are_written_for_the_readers_locale(client, make_sheet):
    make_sheet("Terraces", soc_change_t_c_ha_yr=0.25, rainfall_mm_min=1200,
               rainfall_mm_max=1500, agro_climatic_zones=["humid"])
    english = client.get("/practices/terraces?lang=en").text
    assert "+0.25" in english and "1,200–1,500 mm/yr" in english
    french = client.get("/practices/terraces?lang=fr").text
    assert "+0,25" in french and "mm/an" in french and "1\u202f200" in french


def test_the_standard_colleges_are_named_in_the_readers_language(client, session):
    from practices.models import College

    session.add(College(slug="research-and-education", name="Research and education",
                        description="Universities, research institutes, schools and "
                                    "training centres."))
    session.add(College(slug="own", name="Our own network"))
    session.commit()
    spanish = client.get("/colleges/?lang=es").text
    assert "Investigación y educación" in spanish and "Research and education" not in spanish
    assert "Our own network" in spanish  # an admin's own name is shown as written
    for page in ("/organizations/?lang=es", "/map?lang=es"):  # their college filters too
        listed = client.get(page).text
        assert "Investigación y educación" in listed and "Research and education" not in listed
