"""Pages of a list: `page` and `per_page` in, totals in the body and RFC 8288 `Link` headers
(first, prev, next, last) out, built from the request's own URL."""

from urllib.parse import urlencode

from flask import request


def pages(total: int, per_page: int) -> int:
    return max(1, -(-total // per_page))


def link_header(total: int, page: int, per_page: int) -> str:
    last = pages(total, per_page)
    targets = {"first": 1, "last": last}
    if page > 1:
        targets["prev"] = min(page - 1, last)
    if page < last:
        targets["next"] = page + 1
    links = []
    for rel in ("first", "prev", "next", "last"):
        if rel in targets:
            links.append(f'<{_url_for_page(targets[rel])}>; rel="{rel}"')
    return ", ".join(links)


def _url_for_page(number: int) -> str:
    args = [(key, value) for key, value in request.args.items(multi=True) if key != "page"]
    if number > 1:
        args.append(("page", str(number)))
    query = urlencode(args)
    return request.base_url + (f"?{query}" if query else "")

