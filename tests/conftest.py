import os
import shutil
import socket
from urllib.parse import urlparse

import pytest
from django.conf import settings

START_POSTGRES = "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start"
START_REDIS = 'redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no'


def _answers(host, port):
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


def pytest_sessionstart(session):
    """Stop at once, with one clear line, when a service the suite needs is not answering."""
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("postgresql"):
        host, port = db.get("HOST") or "127.0.0.1", int(db.get("PORT") or 5432)
        if not _answers(host, port):
            pytest.exit(
                f"PostgreSQL is not answering on {host}:{port}: start it with `{START_POSTGRES}` "
                "(or elsewhere `docker compose up -d db redis`).",
                returncode=3,
            )
    if not shutil.which("tesseract"):
        pytest.exit(
            "Tesseract is not installed (scanned letters are read with it): install it with "
            "`apt-get install tesseract-ocr` (Debian or Ubuntu; `.ci/run` does this).",
            returncode=3,
        )
    redis_url = urlparse(os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0"))
    if os.environ.get("TEST_REDIS_URL") and not _answers(redis_url.hostname, redis_url.port or 6379):
        pytest.exit(
            f"Redis is not answering on {redis_url.hostname}:{redis_url.port or 6379}: start it with "
            f"`{START_REDIS}` (or elsewhere `docker compose up -d db redis`).",
            returncode=3,
        )


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: the database is rolled back between tests (and SQLite reuses
    ids), so figures cached by one test must not answer another."""
    from django.core.cache import cache

    cache.clear()
