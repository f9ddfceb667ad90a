"""The Flask application: the factory is the only place that knows every part."""

from flask import Flask
from flask_wtf.csrf import CSRFProtect

from wiki import (
    accounts,
    admin,
    api,
    auth,
    browse,
    caching,
    carbon,
    dashboard,
    db,
    discussions,
    errors,
    feeds,
    i18n,
    imports,
    input_guard,
    mail,  # noqa: F401  (sends notification e-mails after each commit)
    map,
    measure_history,  # noqa: F401  (its routes join the measures blueprint)
    measures,
    notifications,
    operations,
    organizations,
    proxies,
    rendering,
    review,
    search_views,
    security,
    sheets,
    uploads,
)
from wiki.config import Settings

csrf = CSRFProtect()


def create_app(config: dict | None = None, instance_path: str | None = None) -> Flask:
    app = Flask(__name__, instance_path=instance_path, instance_relative_config=True,
                template_folder="../templates")
    input_guard.init_app(app)  # issue 11: before any route or other before_request
    app.config.from_pyfile("config.py", silent=True)
    app.config.update(Settings.from_env(app.instance_path).as_flask_config())
    if config:
        app.config.update(config)
    db.init_app(app)
    csrf.init_app(app)
    i18n.init_app(app)
    auth.init_app(app)
    rendering.init_app(app)
    errors.init_app(app)
    security.init_app(app)
    proxies.init_app(app)  # issue 12: the real client address behind TRUSTED_PROXIES
    for blueprint in (browse.bp, sheets.bp, feeds.bp, uploads.bp, map.bp):
        app.register_blueprint(blueprint)
    for blueprint in (accounts.bp, admin.bp, organizations.bp):
        app.register_blueprint(blueprint)
    app.register_blueprint(imports.bp)  # issue 5: imports and exports
    review.init_app(app)
    search_views.init_app(app)  # issue 4: search page, place finder, index upkeep
    discussions.init_app(app)  # issue 6: threads, comments, endorsements
    notifications.init_app(app)  # issue 6: watching, notifications, e-mail
    api.init_app(app)  # issue 7: JSON API under /api/v1/ and its OpenAPI document
    operations.init_app(app)  # issue 12: /healthz, /readyz, request ids, JSON logs
    caching.init_app(app)  # issue 12: compression, hashed static URLs, ETags, Cache-Control
    app.register_blueprint(carbon.bp)  # issue 13: the "4 per 1000" calculator
    app.register_blueprint(measures.bp)  # issue 14: partners' measures in the field
    app.register_blueprint(dashboard.bp)  # issue 15: the "4 per 1000" dashboard
    from wiki import offline

    offline.init_app(app)  # issue 16: installable app, sheets saved for offline reading
    from wiki import photos

    photos.init_app(app)  # issue 16: a sheet's gallery
    from wiki import cli

    cli.register(app)
    return app
