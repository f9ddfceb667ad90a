"""At 390 px (a common phone) no page is wider than the screen and /practices/ shows results
first, with the filters in a drawer (issue 16)."""

import re
from pathlib import Path

import pytest
from sqlmodel import select

from practices import accounts, demo
from practices.models import Role, Sheet
from tests.browser.conftest import PASSWORD, SCREENSHOTS, serving

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    """A live server over the demo data set (37 sheets, translations, discussions)."""
    def fill(session):
        demo.load(session)
        accounts.create_user(
            session,
            email="phone@example.org",
            name="Phone contributor",
            password=PASSWORD,
            role=Role.CONTRIBUTOR,
        )
        session.commit()
        slug = (
            session.exec(select(Sheet.slug).where(Sheet.slug == "zai-pits-burkina-faso")).first()
            or session.exec(select(Sheet.slug)).first()
        )
        return slug

    with serving(tmp_path_factory.mktemp("demo"), fill) as (base, filled):
        yield base, filled


@pytest.fixture
def phone(browser):
    # bypass_csp lets the crawl inject axe-core; the pages' own policy stays strict
    context = browser.new_context(viewport=PHONE, locale="en-GB", bypass_csp=True)
    page = context.new_page()
    yield page
    context.close()


def sign_in(page, base):
    page.goto(f"{base}/login")
    page.get_by_label("E-mail").fill("phone@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r".*/$"))


def overflow(page) -> int:
    """How many pixels the page is wider than the screen (0 when it fits)."""
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def crawl(page, base, start_paths, limit=40, audited=None) -> dict[str, int]:
    """Visit the start pages and the same-site links found on them; return the overflow
    of every page visited. With `audited` (a dict), axe-core checks each kind of page
    visited once (kind_of), and its serious or critical violations are kept there."""
    seen: dict[str, int] = {}
    queue = list(start_paths)
    while queue and len(seen) < limit:
        path = queue.pop(0)
        if path in seen:
            continue
        page.goto(base + path)
        seen[path] = overflow(page)
        if audited is not None and kind_of(path) not in audited:
            audited[kind_of(path)] = axe_problems(page)
        for href in page.eval_on_selector_all(
            "main a[href^='/']", "links => links.map(a => a.getAttribute('href'))"
        ):
            href = href.split("#")[0]
            skip = ("/logout", "/feeds", "/static", "/api", ".json", ".csv", "/export")
            if href and href not in seen and not any(bit in href for bit in skip):
                queue.append(href)
    return seen


def kind_of(path: str) -> str:
    """Pages built by one template are one kind: /practices/zai-pits and /practices/mulch,
    or /practices/?q=a and /practices/?country=BF (a search with or without filters)."""
    address, _, query = path.partition("?")
    parts = [part for part in address.split("/") if part]
    kind = "/".join(parts[:1] + ["*" if re.search(r"[-\d]", part) and part not in KEYWORDS
                                 else part for part in parts[1:]])
    return kind + ("?" if query else "")


KEYWORDS = {"edit", "history", "diff", "discussion", "revisions"}


def test_no_page_is_wider_than_a_phone(demo_server, phone):
    base, slug = demo_server
    paths = [
        "/",
        "/practices/",
        f"/practices/{slug}",
        f"/practices/{slug}/history",
        f"/practices/{slug}/diff/1/2",
        "/recent",
        "/map",
        "/carbon/",
        "/colleges/",
        "/login",
        "/register",
        "/practices/?q=agroforestry",
    ]
    audited: dict[str, list[str]] = {}  # axe-core on every kind of page visited
    too_wide = {path: px for path, px in crawl(phone, base, paths, audited=audited).items()
                if px > 0}
    sign_in(phone, base)
    audited = {kind + " (signed out)": problems for kind, problems in audited.items()}
    signed_in = [
        "/practices/new",
        f"/practices/{slug}/edit",
        "/recent",
        f"/practices/{slug}/history",
        f"/practices/{slug}/discussion",
    ]
    too_wide |= {
        f"{path} (signed in)": px
        for path, px in crawl(phone, base, signed_in, limit=10, audited=audited).items()
        if px > 0
    }
    assert too_wide == {}
    assert [problem for problems in audited.values() for problem in problems] == []
    assert len(audited) >= 15, sorted(audited)


def test_results_come_first_and_filters_open_in_a_drawer(demo_server, phone):
    base, _ = demo_server
    phone.goto(f"{base}/practices/?agro_climatic_zone=semi-arid&practice_group=agroforestry")
    first = phone.locator(".hit").first
    box = first.bounding_box()
    assert box is not None and box["y"] < PHONE["height"], "first result below the first screen"
    drawer_button = phone.get_by_role("button", name=re.compile(r"Filters \(2\)"))
    assert drawer_button.is_visible()
    assert not phone.locator(".filters").is_visible()
    drawer_button.click()
    filters = phone.locator(".filters")
    assert filters.is_visible()
    # ticked values come first in their group
    zones = phone.locator(".facet", has=phone.locator("input[name=agro_climatic_zone]"))
    assert zones.locator("input").first.get_attribute("value") == "semi-arid"
    assert zones.locator("input").first.is_checked()
    assert phone.get_by_role("button", name="Apply filters").is_visible()
    snap(phone, "drawer-390", full_page=False)
    phone.set_viewport_size({"width": 1280, "height": 900})  # beside the results, no drawer
    assert filters.is_visible() and not drawer_button.is_visible()
    assert not phone.get_by_role("button", name="Close").is_visible()


def snap(page, name, full_page=True):
    """Screenshots for people to look at, when SCREENSHOT_DIR is set."""
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SCREENSHOTS) / f"field-{name}.png"), full_page=full_page)


def test_a_sheet_on_a_phone_summarises_itself_near_the_top(demo_server, phone):
    base, slug = demo_server
    phone.goto(f"{base}/practices/{slug}")
    glance = phone.locator(".glance")
    box = glance.bounding_box()
    assert box is not None and box["y"] < PHONE["height"]
    assert "Agro-climatic zone" in glance.inner_text()
    # the infobox names its groups for what they hold
    headings = phone.locator(".infobox__section").all_inner_texts()
    assert "COSTS" in [text.upper() for text in headings]
    snap(phone, "sheet-390")
    phone.set_viewport_size({"width": 1280, "height": 900})
    assert not glance.is_visible()  # beside the text, the full box is enough
    snap(phone, "sheet-1280")


def test_the_edit_form_fits_a_phone(demo_server, phone):
    base, slug = demo_server
    sign_in(phone, base)
    phone.goto(f"{base}/practices/{slug}/edit")
    summary = phone.get_by_label("Edit summary")
    assert summary.bounding_box()["width"] > PHONE["width"] * 0.8
    bar = phone.locator(".form-actions")
    assert bar.evaluate("el => getComputedStyle(el).position") != "sticky"
    basis = phone.get_by_role("radio", name="Field experience and scientific evidence")
    assert basis.is_visible()
    snap(phone, "edit-390")


def test_a_sheet_prints_as_a_clean_technical_sheet(demo_server, page, tmp_path):
    base, slug = demo_server
    page.goto(f"{base}/practices/{slug}")
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert not page.locator(".sheet-actions").is_visible()
    assert page.locator(".infobox").is_visible() and page.locator(".prose").is_visible()
    # the text takes the whole width: the "at a glance" box follows it instead of a column
    assert page.locator(".prose").bounding_box()["width"] > 600
    pdf = page.pdf(format="A4", print_background=True)
    assert pdf.startswith(b"%PDF")
    pages = pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")
    assert 1 <= pages <= 6, pages
    if SCREENSHOTS:
        (Path(SCREENSHOTS) / "field-sheet.pdf").write_bytes(pdf)
        page.screenshot(path=str(Path(SCREENSHOTS) / "field-print.png"), full_page=True)


def test_screens_at_phone_and_desktop_widths(demo_server, phone):
    """Results, a sheet and a diff at 390 and 1280 px, for people to look at; none wider
    than the screen."""
    base, slug = demo_server
    sign_in(phone, base)
    phone.goto(f"{base}/practices/{slug}/edit")
    body = phone.get_by_label("Description")
    body.fill(body.input_value().replace("\n\n", "\n\nThe pits are dug in the dry season.\n\n", 1))
    phone.get_by_label("Edit summary").fill("when to dig")
    phone.get_by_role("button", name="Save").click()
    phone.wait_for_url(f"{base}/practices/{slug}")
    for width in (390, 1280):
        phone.set_viewport_size({"width": width, "height": 844 if width == 390 else 900})
        for lang in ("en", "fr"):
            for name, path in [("results", "/practices/?q=agroforestry"),
                               ("diff", f"/practices/{slug}/diff/1/2"),
                               ("recent", "/recent"),
                               ("drawer", "/practices/?agro_climatic_zone=semi-arid")]:
                phone.goto(f"{base}{path}{'&' if '?' in path else '?'}lang={lang}")
                if name == "drawer" and width == 390:
                    phone.locator(".filters-toggle").click()
                assert overflow(phone) == 0, (path, width, lang)
                snap(phone, f"{name}-{lang}-{width}", full_page=name in ("diff", "recent"))
    phone.goto(f"{base}/practices/?lang=en")


def axe_problems(page) -> list[str]:
    """Serious and critical axe-core violations on the current page, one line each."""
    import axe_playwright_python

    script = Path(axe_playwright_python.__file__).with_name("axe.min.js").read_text("utf-8")
    page.add_script_tag(content=script)
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [f"{page.url}: {violation['id']} ({violation['impact']}) "
            f"{[node['target'] for node in violation['nodes']][:3]}"
            for violation in result["violations"]
            if violation["impact"] in ("serious", "critical")]


def test_no_serious_accessibility_problem_in_the_open_filter_drawer(demo_server, phone):
    """The crawl checks every kind of page it visits; the drawer opens only on a click."""
    base, _slug = demo_server
    phone.goto(f"{base}/practices/?practice_group=agroforestry")
    phone.get_by_role("button", name=re.compile("Filters")).click()
    assert axe_problems(phone) == []
