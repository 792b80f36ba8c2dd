import os
import subprocess
import sys

from django.conf import settings

ROOT = settings.BASE_DIR


def run_settings(env_overrides, tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "DATABASE_URL"}}
    env.update(env_overrides, VAR_DIR=str(tmp_path))
    code = "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE','tracker.settings'); django.setup()"
    return subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True)


def test_production_refuses_to_start_without_secret_key(tmp_path):
    done = run_settings({"DEBUG": "0"}, tmp_path)
    assert done.returncode != 0
    assert "SECRET_KEY must be set" in done.stderr


def test_production_starts_with_a_secret_key(tmp_path):
    assert run_settings({"DEBUG": "0", "SECRET_KEY": "x" * 50}, tmp_path).returncode == 0


def test_debug_generates_a_key_into_var(tmp_path):
    assert run_settings({"DEBUG": "1"}, tmp_path).returncode == 0
    assert len((tmp_path / "secret_key").read_text()) >= 40


def test_defaults_are_london_and_eager_tasks_without_broker():
    assert settings.TIME_ZONE == "Europe/London"
    if not os.environ.get("CELERY_BROKER_URL"):
        assert settings.CELERY_TASK_ALWAYS_EAGER
