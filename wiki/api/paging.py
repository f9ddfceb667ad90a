"""Pages of an API list: `page` and `per_page` in, totals in the body and RFC 8288 `Link`
headers (first, prev, next, last) out, built from the request's own URL. How many pages
there are is `practices.paging`'s rule, shared with the HTML lists."""

from urllib.parse import urlencode

from flask import request

from practices.paging import page_count


def link_header(total: int, page: int, per_page: int) -> str:
    last = page_count(total, per_page)
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

