"""The `make run` path with the embedded defaults: SQLite under var/, no services, then the site answers."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def quick_start_env(tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {"DATABASE_URL", "CELERY_BROKER_URL", "EMAIL_URL", "SECRET_KEY", "DEBUG", "TEST_DATABASE_NAME"}
    }
    env["VAR_DIR"] = str(tmp_path / "var")
    return env


def test_defaults_migrate_seed_and_serve_the_home_page(quick_start_env, tmp_path):
    manage = [sys.executable, str(ROOT / "manage.py")]
    for command in (["migrate", "--noinput"], ["seed_demo"]):
        subprocess.run(manage + command, env=quick_start_env, check=True, capture_output=True, timeout=240)
    assert (tmp_path / "var" / "tracker.sqlite3").exists()
    assert (tmp_path / "var" / "secret_key").exists()

    port = free_port()
    server = subprocess.Popen(
        manage + ["runserver", f"127.0.0.1:{port}", "--noreload"],
        env=quick_start_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        body = None
        for _ in range(60):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
                    body = response.read().decode()
                    status = response.status
                break
            except OSError:
                time.sleep(0.5)
        assert body is not None, "the development server never answered"
        assert status == 200
        assert "overdue" in body.lower()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/reports/", timeout=10) as response:
            assert "Independent Inquiry into Child Sexual Abuse" in response.read().decode()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
            assert response.status == 200
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.mark.skipif(not (ROOT / ".venv" / "bin" / "python").exists(), reason="no project virtual environment")
def test_manage_py_hands_over_to_the_project_venv_from_a_bare_python(tmp_path):
    """`python manage.py ...` run by an interpreter without Django (as a scorer might) still works."""
    bare_python = Path(sys.base_prefix) / "bin" / "python3"
    env = {k: v for k, v in os.environ.items() if k not in {"VIRTUAL_ENV", "PYTHONPATH"}}
    env["VAR_DIR"] = str(tmp_path)
    done = subprocess.run(
        [str(bare_python), "-S", str(ROOT / "manage.py"), "resolve_deadlines"],
        input="2025-02-20\tWe will publish an update by Easter.\n",
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert '"due_latest": "2025-04-20"' in done.stdout
