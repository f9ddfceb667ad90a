"""Settings, read once from the environment (and an optional instance/config.py)."""

import importlib.util
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

MIN_SECRET_KEY_LENGTH = 32
UPLOAD_STORES = ("database", "filesystem", "s3")
DEFAULT_PAGE_CACHE_BYTES = 8 * 1024 * 1024  # compressed pages: ~5 kB a sheet page (not shared)
DEFAULT_SHARED_PAGE_BYTES = 64 * 1024 * 1024  # what each worker may write per wiki version


class ConfigError(Exception):
    """The configuration is unsafe or malformed; the app refuses to start."""


@dataclass(frozen=True)
class Settings:
    DATABASE_URL: str
    SEARCH_INDEX_DIR: str
    UPLOAD_DIR: str
    SECRET_KEY: str
    MAX_CONTENT_LENGTH: int
    SESSION_COOKIE_SECURE: bool
    OPEN_REGISTRATION: bool = False  # private deployments: new accounts need no approval
    # E-mail notifications are off unless SMTP_HOST is set (issue 6).
    SMTP_HOST: str = ""
    SMTP_PORT: int = 25
    SMTP_USERNAME: str = ""
    SMTP_PASSWORD: str = ""
    SMTP_STARTTLS: bool = False
    MAIL_FROM: str = "practice-wiki <noreply@localhost>"
    # Where the wiki is reached from outside: links in e-mails sent outside a request.
    PUBLIC_URL: str = "http://127.0.0.1:5000"
    LOG_FORMAT: str = "text"  # issue 12: "json" for one JSON object per line, with request ids
    # Shared state for many workers and machines (issue 12): rate limits live in Redis when
    # REDIS_URL (or Flask-Limiter's own RATELIMIT_STORAGE_URI) is set, else in one process.
    REDIS_URL: str = ""
    RATELIMIT_STORAGE_URI: str = "memory://"
    RATELIMIT_KEY_PREFIX: str = ""  # several wikis sharing one Redis keep apart by it
    # How many reverse proxies in front of the wiki set X-Forwarded-For/-Proto/-Host; 0 means
    # none, and those headers are ignored (a client could forge them).
    TRUSTED_PROXIES: int = 0
    # Where uploaded files live: "database" (any node serves any file), "filesystem", or "s3"
    # (an S3-compatible bucket; the S3_* settings below).
    UPLOAD_STORE: str = "database"
    S3_BUCKET: str = ""
    S3_ENDPOINT_URL: str = ""  # empty for AWS itself; e.g. https://minio.example.org
    S3_REGION: str = ""
    S3_ACCESS_KEY_ID: str = ""  # empty: boto3 finds credentials itself (AWS_* variables, roles)
    S3_SECRET_ACCESS_KEY: str = ""
    S3_PREFIX: str = "uploads/"
    # Finished anonymous pages kept in each worker's memory (wiki.page_cache); None: only
    # when they are not shared (SHARED_PAGE_BYTES 0), DEFAULT_PAGE_CACHE_BYTES then.
    PAGE_CACHE_BYTES: int | None = None
    # The same pages shared by the workers of one machine through a folder (default: beside
    # the search index, which is per machine too); what each worker may write there per
    # version of the wiki, 0 to share nothing.
    PAGE_CACHE_DIR: str = ""
    SHARED_PAGE_BYTES: int = DEFAULT_SHARED_PAGE_BYTES

    @classmethod
    def from_env(cls, instance_path: str, environ=os.environ) -> "Settings":
        instance = Path(instance_path)
        return cls(
            DATABASE_URL=(environ.get("DATABASE_URL")
                          or f"sqlite:///{instance / 'practice-wiki.db'}"),
            SEARCH_INDEX_DIR=environ.get("SEARCH_INDEX_DIR") or str(instance / "index"),
            UPLOAD_DIR=environ.get("UPLOAD_DIR") or str(instance / "uploads"),
            SECRET_KEY=environ.get("SECRET_KEY") or _instance_secret_key(instance),
            MAX_CONTENT_LENGTH=_positive_int(environ, "MAX_CONTENT_LENGTH", 8 * 1024 * 1024),
            SESSION_COOKIE_SECURE=_flag(environ, "SESSION_COOKIE_SECURE", False),
            OPEN_REGISTRATION=_flag(environ, "OPEN_REGISTRATION", False),
            SMTP_HOST=environ.get("SMTP_HOST", ""),
            SMTP_PORT=_positive_int(environ, "SMTP_PORT", 25),
            SMTP_USERNAME=environ.get("SMTP_USERNAME", ""),
            SMTP_PASSWORD=environ.get("SMTP_PASSWORD", ""),
            SMTP_STARTTLS=_flag(environ, "SMTP_STARTTLS", False),
            MAIL_FROM=environ.get("MAIL_FROM") or "practice-wiki <noreply@localhost>",
            PUBLIC_URL=(environ.get("PUBLIC_URL") or "http://127.0.0.1:5000").rstrip("/"),
            LOG_FORMAT=(environ.get("LOG_FORMAT") or "text").lower(),
            REDIS_URL=environ.get("REDIS_URL", ""),
            RATELIMIT_STORAGE_URI=(environ.get("RATELIMIT_STORAGE_URI")
                                   or environ.get("REDIS_URL") or "memory://"),
            RATELIMIT_KEY_PREFIX=environ.get("RATELIMIT_KEY_PREFIX", ""),
            TRUSTED_PROXIES=_count(environ, "TRUSTED_PROXIES"),
            UPLOAD_STORE=(environ.get("UPLOAD_STORE") or "database").lower(),
            S3_BUCKET=environ.get("S3_BUCKET", ""),
            S3_ENDPOINT_URL=environ.get("S3_ENDPOINT_URL", ""),
            S3_REGION=environ.get("S3_REGION", ""),
            S3_ACCESS_KEY_ID=environ.get("S3_ACCESS_KEY_ID", ""),
            S3_SECRET_ACCESS_KEY=environ.get("S3_SECRET_ACCESS_KEY", ""),
            S3_PREFIX=environ.get("S3_PREFIX", "uploads/"),
            PAGE_CACHE_BYTES=(_count(environ, "PAGE_CACHE_BYTES")
                              if environ.get("PAGE_CACHE_BYTES") else None),
            PAGE_CACHE_DIR=environ.get("PAGE_CACHE_DIR", ""),
            SHARED_PAGE_BYTES=(_count(environ, "SHARED_PAGE_BYTES")
                               if environ.get("SHARED_PAGE_BYTES") else DEFAULT_SHARED_PAGE_BYTES),
        )

    def as_flask_config(self) -> dict:
        self.check()
        return {
            **self.__dict__,
            "SESSION_COOKIE_HTTPONLY": True,
            "SESSION_COOKIE_SAMESITE": "Lax",
            "REMEMBER_COOKIE_HTTPONLY": True,
            "REMEMBER_COOKIE_SAMESITE": "Lax",
            "REMEMBER_COOKIE_SECURE": self.SESSION_COOKIE_SECURE,
            "WTF_CSRF_TIME_LIMIT": None,  # a long edit must not lose its token
        }

    def check(self) -> None:
        if len(self.SECRET_KEY) < MIN_SECRET_KEY_LENGTH:
            raise ConfigError(f"SECRET_KEY must be at least {MIN_SECRET_KEY_LENGTH} characters.")
        if not self.DATABASE_URL.startswith(("sqlite:", "postgresql")):
            raise ConfigError("DATABASE_URL must be a sqlite:// or postgresql:// URL.")
        if self.LOG_FORMAT not in ("text", "json"):
            raise ConfigError(f"LOG_FORMAT must be text or json, not {self.LOG_FORMAT!r}.")
        if self.UPLOAD_STORE not in UPLOAD_STORES:
            raise ConfigError(f"UPLOAD_STORE must be one of {', '.join(UPLOAD_STORES)}.")
        if self.UPLOAD_STORE == "s3" and not self.S3_BUCKET:
            raise ConfigError("UPLOAD_STORE=s3 needs S3_BUCKET (and S3_ENDPOINT_URL unless the "
                              "bucket is on AWS).")
        if self.UPLOAD_STORE == "s3" and importlib.util.find_spec("boto3") is None:
            raise ConfigError("UPLOAD_STORE=s3 needs boto3: pip install 'practice-wiki[s3]'.")


def _instance_secret_key(instance: Path) -> str:
    """Generated once per installation and kept in the instance folder, never in the repo."""
    path = instance / "secret_key"
    if not path.exists():
        instance.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def _positive_int(environ, name: str, default: int) -> int:
    raw = environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {raw!r}.") from None
    if value <= 0:
        raise ConfigError(f"{name} must be positive.")
    return value


def _flag(environ, name: str, default: bool) -> bool:
    raw = environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ConfigError(f"{name} must be true or false, not {raw!r}.")


def _count(environ, name: str) -> int:
    """A whole number that may be 0 (TRUSTED_PROXIES)."""
    raw = environ.get(name)
    if raw is None or raw == "":
        return 0
    if not raw.isdigit():
        raise ConfigError(f"{name} must be a whole number (0 or more), not {raw!r}.")
    return int(raw)
