"""Every word a route puts where a slug goes is reserved: /practices/new is the new-sheet
form, so a sheet with the slug "new" could never be reached at its own address."""

from practices.slugs import RESERVED_SLUGS, is_valid_slug


def words_in_the_place_of_a_slug(app) -> set[str]:
    """The fixed segments of the routes that sit where another route of the same
    collection takes a <slug> (/practices/new beside /practices/<slug>, …)."""
    rules = [rule.rule.strip("/").split("/") for rule in app.url_map.iter_rules()]
    collections = {tuple(parts[:at]) for parts in rules
                   for at, part in enumerate(parts) if "<slug>" in part}
    return {parts[len(prefix)] for parts in rules for prefix in collections
            if len(parts) > len(prefix) and tuple(parts[:len(prefix)]) == prefix
            and is_valid_slug(parts[len(prefix)])}


def test_every_word_a_route_puts_in_the_place_of_a_slug_is_reserved(app):
    words = words_in_the_place_of_a_slug(app)
    assert "new" in words  # the reading above finds /practices/new
    assert sorted(words - RESERVED_SLUGS) == []
