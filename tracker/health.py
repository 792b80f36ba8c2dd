"""/healthz: 200 when the database (and Redis, when a broker is configured) answers, 503 otherwise."""

from django.conf import settings
from django.db import connection
from django.http import JsonResponse


def check_database():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure to talk to the database is "down"
        return f"error: {exc.__class__.__name__}"
    return "ok"


def check_broker():
    if not settings.CELERY_BROKER_URL:
        return "not configured"
    try:
        import redis

        redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_connect_timeout=2, socket_timeout=2).ping()
    except Exception as exc:
        return f"error: {exc.__class__.__name__}"
    return "ok"


def healthz(request):
    checks = {"database": check_database(), "broker": check_broker()}
    healthy = all(not value.startswith("error") for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", **checks}, status=200 if healthy else 503
    )
