"""Fixtures: the app on each database, a session, and factories for users and sheets.

Every database test runs on SQLite, and on PostgreSQL too when TEST_DATABASE_URL is set.
With REQUIRE_POSTGRES=1 (CI), a missing or unreachable PostgreSQL fails the run instead of
being skipped.
"""

import os
from functools import cache
from itertools import count

import pytest
from sqlalchemy import make_url, text
from sqlmodel import Session, SQLModel

os.environ.setdefault("SECRET_KEY", "test-secret-key-that-is-long-enough-for-the-checks")

from practices import accounts, database, sheets  # noqa: E402
from practices.models import (  # noqa: E402
    College,
    CollegeMembership,
    Organization,
    Role,
    Sheet,
    User,
)
from wiki import create_app  # noqa: E402

PASSWORD = "correct horse battery staple"
_PASSWORD_HASH = accounts.hash_password(PASSWORD)  # hashing once keeps the suite fast
BACKENDS = ["sqlite", "postgresql"]


def postgres_url() -> str | None:
    """TEST_DATABASE_URL; under pytest-xdist each worker gets a database of its own beside it
    (`<name>_gw0`, …), since every worker drops and migrates its schema."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url and os.environ.get("REQUIRE_POSTGRES"):
        pytest.fail("REQUIRE_POSTGRES is set but TEST_DATABASE_URL is not")
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if url and worker:
        return sibling_postgres_url(url, f"_{worker}")
    return url


@cache
def sibling_postgres_url(url: str, suffix: str) -> str:
    """A database named after the one in `url` plus `suffix`, created when missing."""
    parsed = make_url(url)
    name = f"{parsed.database}{suffix}"
    engine = database.make_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        exists = connection.execute(
            text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
        ).first()
        if not exists:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return parsed.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(request, tmp_path_factory):
    """A migrated, empty database of each kind, shared by the tests of one session."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    else:
        url = postgres_url()
        if not url:
            pytest.skip("PostgreSQL run skipped: TEST_DATABASE_URL is not set")
        reset_postgres(url)
    database.upgrade(url)
    return url


def reset_postgres(url: str) -> None:
    engine = database.make_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture
def app(database_url, tmp_path):
    app = create_app({
        "TESTING": True,
        "DATABASE_URL": database_url,
        "UPLOAD_DIR": str(tmp_path / "uploads"),
        "SEARCH_INDEX_DIR": str(tmp_path / "index"),
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,  # tests sign in often; test_security switches it back on
    }, instance_path=str(tmp_path / "instance"))
    yield app
    empty_tables(app.extensions["engine"])
    app.extensions["engine"].dispose()


def empty_tables(engine) -> None:
    tables = [table.name for table in reversed(SQLModel.metadata.sorted_tables)]
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                connection.execute(text(f"DELETE FROM {table}"))


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def session(app):
    with Session(app.extensions["engine"], expire_on_commit=False) as session:
        yield session


_numbers = count(1)


@pytest.fixture
def make_organization(session):
    def make(name: str | None = None, *, review_edits: bool = False) -> Organization:
        number = next(_numbers)
        organization = Organization(slug=f"org-{number}", name=name or f"Partner {number}",
                                    review_edits=review_edits)
        session.add(organization)
        session.commit()
        return organization

    return make


@pytest.fixture
def make_college(session):
    def make(name: str | None = None, *, members: tuple[User, ...] = ()) -> College:
        number = next(_numbers)
        college = College(slug=f"college-{number}", name=name or f"College {number}")
        session.add(college)
        session.flush()
        for member in members:
            session.add(CollegeMembership(user_id=member.id, college_id=college.id))
        session.commit()
        return college

    return make


@pytest.fixture
def make_user(session):
    def make(role: str = Role.CONTRIBUTOR, *, organization: Organization | None = None,
             name: str | None = None, active: bool = True) -> User:
        number = next(_numbers)
        user = User(email=f"user{number}@example.org", name=name or f"User {number}",
                    password_hash=_PASSWORD_HASH, role=role, active=active,
                    organization_id=organization.id if organization else None)
        session.add(user)
        session.commit()
        return user

    return make


@pytest.fixture
def make_sheet(session, make_user):
    def make(title: str = "Alley cropping", *, author: User | None = None, body: str = "",
             summary: str = "", status: str = "published", slug: str | None = None,
             organization: Organization | None = None, translation_of: Sheet | None = None,
             **fields):
        author = author or make_user()
        content = sheets.Content.checked(title=title, summary=summary, body=body, fields=fields)
        sheet = sheets.create(session, content, author=author, slug=slug, status=status,
                              organization_id=organization.id if organization else None)
        if translation_of is not None:  # as importers link them: with the sheet's creation
            sheet.translation_of_id = translation_of.id
        session.commit()
        return sheet

    return make


@pytest.fixture
def login(client):
    def sign_in(user: User):
        response = client.post("/login", data={"email": user.email, "password": PASSWORD})
        assert response.status_code == 303, response.text
        return user

    return sign_in


def pytest_report_header(config):
    if os.environ.get("TEST_DATABASE_URL"):
        return "databases: SQLite and PostgreSQL (TEST_DATABASE_URL)"
    return "databases: SQLite only; set TEST_DATABASE_URL to run every database test on PostgreSQL"
