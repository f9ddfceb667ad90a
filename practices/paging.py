"""Pages of a list: how many there are, which one to show, and where it starts.

One rule for every list the wiki pages through (browse, search, the audit log, accounts,
notifications, the API): there is always at least one page, even for an empty list, and a
page past the end shows the last one.
"""


def page_count(total: int, per_page: int) -> int:
    return max(1, -(-total // per_page))


def page_within(page: int, total: int, per_page: int) -> int:
    """`page` moved into 1 ... page_count, so a stale or typed link still shows a page."""
    return min(max(page, 1), page_count(total, per_page))


class Paged:
    """For a page dataclass with `total` and `per_page`: the number of pages, for pagers."""

    total: int
    per_page: int

    @property
    def pages(self) -> int:
        return page_count(self.total, self.per_page)
