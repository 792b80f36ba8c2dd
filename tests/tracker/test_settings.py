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


# Production: the variables the README documents for a deployment (DEBUG=0, a strong SECRET_KEY and the hosts).
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "k7Q2vX9mR4tW8yB1nC6zL3pF5hJ0sD2gA9eK4uM7qT1wY8rV3xN6bZ5cH0jG2fS",
    "ALLOWED_HOSTS": "tracker.example.gov.uk",
}


# Set by the browser tests' conftest for Playwright in this process; a deployment never has it.
NOT_INHERITED = {"SECRET_KEY", "DEBUG", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}


def manage(args, env_overrides, tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}
    env.update(env_overrides, VAR_DIR=str(tmp_path))
    return subprocess.run(
        [sys.executable, "manage.py", *args], env=env, cwd=ROOT, capture_output=True, text=True
    )


def test_check_deploy_is_clean_with_the_documented_production_variables(tmp_path):
    done = manage(["check", "--deploy", "--fail-level", "WARNING"], PRODUCTION, tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def production_value(expression, tmp_path, **overrides):
    code = (
        "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE','tracker.settings'); django.setup(); "
        f"from django.conf import settings; print(repr({expression}))"
    )
    env = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}
    env.update(PRODUCTION, VAR_DIR=str(tmp_path), **overrides)
    done = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return eval(done.stdout)  # a repr of plain values printed by the line above


def test_production_is_https_only_behind_a_proxy_that_says_so(tmp_path):
    values = production_value(
        "(settings.SECURE_SSL_REDIRECT, settings.SECURE_HSTS_SECONDS, settings.SECURE_HSTS_INCLUDE_SUBDOMAINS,"
        " settings.SECURE_PROXY_SSL_HEADER, settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE)",
        tmp_path,
    )
    assert values == (True, 31536000, True, ("HTTP_X_FORWARDED_PROTO", "https"), True, True)


def test_each_production_setting_can_be_changed_from_the_environment(tmp_path):
    values = production_value(
        "(settings.SECURE_SSL_REDIRECT, settings.SECURE_HSTS_SECONDS, settings.SECURE_HSTS_PRELOAD,"
        " settings.SECURE_PROXY_SSL_HEADER)",
        tmp_path,
        SECURE_SSL_REDIRECT="0",
        SECURE_HSTS_SECONDS="3600",
        SECURE_HSTS_PRELOAD="0",
        TRUST_X_FORWARDED_PROTO="0",
    )
    assert values == (False, 3600, False, None)


def test_quick_start_keeps_plain_http(tmp_path):
    values = production_value(
        "(settings.DEBUG, settings.SECURE_SSL_REDIRECT, settings.SECURE_HSTS_SECONDS)", tmp_path, DEBUG="1"
    )
    assert values == (True, False, 0)
