"""Error pages in the site's own style, never a bare server page."""

from flask import Flask, Response, g, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import BadHost, HTTPException

from practices.fields import N_
from wiki.quantities import number

# Translated when shown (N_ marks them for extraction).
MESSAGES = {
    400: (N_("Bad request"), N_("The request could not be understood.")),
    401: (N_("Please sign in"), N_("You need to sign in to do this.")),
    403: (N_("Not allowed"), N_("Your account may not do this.")),
    404: (N_("Page not found"), N_("There is no page at this address.")),
    405: (N_("Not allowed"), N_("This address does not accept this kind of request.")),
    410: (N_("Gone"), N_("This page was deleted.")),
    413: (N_("Too large"),
          N_("What you sent is larger than this wiki accepts (%(limit)s MB at most).")),
    500: (N_("Something went wrong"), N_("The error was logged. Please try again in a moment.")),
}


def render_error(code: int, detail: str | None = None):
    title, message = MESSAGES.get(code, MESSAGES[500])
    limit = request.max_content_length or 0
    return render_template("error.html", code=code, title=_(title),
                           message=detail or _(message, limit=number(limit / 1048576))), code


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_failed(error):
        return render_error(400, _("The form expired or was not sent from this site. "
                                   "Go back, reload the page and try again."))

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code in (301, 302, 303, 307, 308):
            return error
        if isinstance(error, BadHost):  # no address can be built, so no page: plain text
            return Response("Bad request: the Host header is not a valid host name.\n", 400,
                            mimetype="text/plain")
        page, status = render_error(error.code if error.code in MESSAGES else 400)
        headers = {}
        if error.code == 405 and getattr(error, "valid_methods", None):
            headers["Allow"] = ", ".join(error.valid_methods)  # RFC 9110 §15.5.6
        return page, status, headers

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        app.logger.exception("Unhandled error")
        forget_failed_transaction()
        return render_error(500)


def forget_failed_transaction() -> None:
    """After a database error the request's transaction is aborted (PostgreSQL refuses every
    further statement in it), and the error page itself reads the database (the signed-in
    user, their unread notifications): roll back first, or the error page fails too."""
    session = g.get("db")
    if session is not None:
        session.rollback()
