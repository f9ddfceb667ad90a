"""What a web worker holds (issue 12: at most 120 MB each): heavy libraries are loaded only
by the commands and pages that use them, never by building the app and serving pages."""

import json
import os
import subprocess
import sys

# Each costs a worker megabytes it would keep for its whole life (RSS counts code once read).
NOT_IN_A_WORKER = (
    "alembic",  # migrations and backups (readyz reads the migration files itself)
    "mako",
    "pygments",
    "openpyxl",  # spreadsheet imports and exports
    "numpy",  # the place finder's reverse geocoder
    "scipy",
    "boto3",  # UPLOAD_STORE=s3 only
    "httpx",  # importers
    "ftfy",
    "rich",
    "ijson",
    "PIL",  # photos: resizing an upload, checking an image (~3 MB with its C libraries)
    "argon2",  # passwords: signing in, setting one (~2 MB with its cffi bindings)
    "xml",  # ElementTree and expat: the Atom feeds
    "smtplib",  # notification e-mail
)

# Our own modules (and what they alone bring) that only some pages and commands run: each
# loads on first use, in the view or command that needs it, so that a worker serving sheets,
# search and the API never holds them. A module named here covers its submodules.
OURS_NOT_IN_A_WORKER = (
    "practices.importers.sync",  # imports: admin pages, the import commands
    "practices.importers.sources",
    "practices.importers.native",
    "practices.importers.review",
    "practices.importers.table",
    "practices.importers.wocat",
    "practices.importers.liveness",
    "practices.exporters",
    "practices.measure_table",  # measures as CSV/XLSX
    "practices.backup",  # backup and restore commands
    "practices.dashboard",  # the dashboard: figures, charts, cards
    "practices.dashboard_figures",
    "practices.dashboard_action",
    "practices.dashboard_community",
    "practices.dashboard_knowledge",
    "wiki.dashboard_cards",
    "wiki.dashboard_page_cache",
    "wiki.charts",
    "wiki.figure_tables",
    "wiki.map_layers",  # the map's layers
    "practices.map_features",
    "search.follower",  # indexing alongside an import
)

SERVE_AND_REPORT = """
import json, sys
from wiki import create_app
from wiki.serve import settle_memory
app = create_app({"DATABASE_URL": sys.argv[1]})
settle_memory()
client = app.test_client()
statuses = [client.get(path).status_code for path in
            ("/readyz", "/", "/practices/", "/practices/?q=mulch", "/api/v1/practices")]
import gettext
catalogs = [path for _kind, path in gettext._translations]  # what gettext keeps for good
print(json.dumps({"statuses": statuses, "modules": sorted(sys.modules), "catalogs": catalogs}))
"""


def test_building_the_app_and_serving_pages_loads_no_heavy_library(app, tmp_path):
    report = serve_and_report(app, tmp_path)
    assert all(status in (200, 503) for status in report["statuses"]), report["statuses"]
    loaded = {name.split(".")[0] for name in report["modules"]}
    assert sorted(loaded & set(NOT_IN_A_WORKER)) == []


def test_building_the_app_and_serving_pages_loads_none_of_the_modules_of_other_pages(
        app, tmp_path):
    """A module-level import of one of these (in a blueprint, a CLI module, a page's
    helpers) would put it back into every worker: import it in the function that uses it."""
    report = serve_and_report(app, tmp_path)
    assert all(status in (200, 503) for status in report["statuses"]), report["statuses"]
    loaded = [name for name in report["modules"]
              if any(name == lazy or name.startswith(lazy + ".") for lazy in OURS_NOT_IN_A_WORKER)]
    assert loaded == []


def serve_and_report(app, tmp_path) -> dict:
    """Build the app and serve a few pages in a new process, as a worker does."""
    environment = {
        **os.environ,
        "SECRET_KEY": app.config["SECRET_KEY"],
        "SEARCH_INDEX_DIR": str(tmp_path / "index"),
        "UPLOAD_DIR": str(tmp_path / "uploads"),
    }
    run = subprocess.run(
        [sys.executable, "-c", SERVE_AND_REPORT, app.config["DATABASE_URL"]],
        env=environment, cwd=tmp_path, capture_output=True, text=True, timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    return json.loads(run.stdout.strip().splitlines()[-1])


FIND_COMMANDS = """
import json, sys
import click
from wiki.cli import command_group
group = command_group()
context = click.Context(group)
found = [group.get_command(context, "serve").name]
modules = sorted(sys.modules)  # what the workers forked by `serve` would start with
found.append("limiter" if group.get_command(context, "limiter") else None)
print(json.dumps({"found": found, "modules": modules}))
"""


def test_serve_forks_its_workers_without_the_plugin_commands_of_other_packages(tmp_path):
    """`practice-wiki serve` forks the workers from the command's process: flask-limiter's
    `limiter` command (rich, attrs) must not be loaded there, yet still be a command."""
    run = subprocess.run([sys.executable, "-c", FIND_COMMANDS], cwd=tmp_path,
                         capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 0, run.stderr[-3000:]
    report = json.loads(run.stdout.strip().splitlines()[-1])
    assert report["found"] == ["serve", "limiter"]
    loaded = {name.split(".")[0] for name in report["modules"]}
    assert sorted(loaded & set(NOT_IN_A_WORKER)) == []


def test_no_worker_keeps_the_catalogs_the_vocabularies_were_built_from(app, tmp_path):
    """pycountry's ISO 639-3 and 3166 catalogs (French alone: 9,300 names, ~1.5 MB) are
    read once for the vocabularies' labels, not kept by gettext for the worker's life."""
    report = serve_and_report(app, tmp_path)
    assert [path for path in report["catalogs"] if "pycountry" in path] == []
