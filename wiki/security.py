"""Response headers that keep pages from being framed, sniffed or running foreign scripts."""

from flask import Flask, Response

CSP = ("default-src 'self'; img-src 'self' https: data:; style-src 'self'; script-src 'self'; "
       "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
# The dashboard's embeds (issue 15) are made for partners' websites: any site may frame them.
EMBED_CSP = CSP.replace("frame-ancestors 'none'", "frame-ancestors *")


def allow_framing(response: Response) -> Response:
    """Let any site frame this response (and only this one): the embed's CSP, and no
    X-Frame-Options, which would forbid it in older browsers."""
    response.headers["Content-Security-Policy"] = EMBED_CSP
    response.headers.pop("X-Frame-Options", None)
    return response


def add_headers(response):
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if response.headers["Content-Security-Policy"] != EMBED_CSP:
        response.headers.setdefault("X-Frame-Options", "DENY")
    return response


def init_app(app: Flask) -> None:
    app.after_request(add_headers)
