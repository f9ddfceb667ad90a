"""The app's search service and a helper that searches as a given user."""

import pytest

from search import SearchRequest


@pytest.fixture
def search_service(app):
    return app.extensions["search"]


@pytest.fixture
def find(search_service):
    """find(q=..., facet=[...], user=None) -> SearchPage"""
    def search(user=None, **params):
        request = SearchRequest.from_params({
            name: value if isinstance(value, list) else [value] for name, value in params.items()})
        return search_service.search(request, user)

    return search


def slugs(page) -> list[str]:
    return [hit.slug for hit in page.hits]
