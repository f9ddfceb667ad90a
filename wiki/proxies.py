"""The client's real address behind reverse proxies, and where the audit log keeps it.

With TRUSTED_PROXIES=N, Werkzeug's ProxyFix takes the address, scheme and host from the
X-Forwarded-For/-Proto/-Host headers the last N proxies set, so the rate limits, the audit
log and absolute links (feeds, the private notification feed) see the visitor, not nginx.
With 0 (the default) those headers are ignored: any client could write them.
"""

from flask import Flask, has_request_context, request
from sqlalchemy import event
from sqlalchemy.orm import Session
from werkzeug.middleware.proxy_fix import ProxyFix

from practices.models import AuditEvent


def init_app(app: Flask) -> None:
    hops = int(app.config.get("TRUSTED_PROXIES") or 0)
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)


@event.listens_for(Session, "before_flush")
def _stamp_audit_events(session, _context, _instances) -> None:
    """Events recorded while answering a request say from which address it came."""
    if not has_request_context() or not request.remote_addr:
        return
    for row in session.new:
        if isinstance(row, AuditEvent) and "address" not in row.details:
            row.details = {**row.details, "address": request.remote_addr}
