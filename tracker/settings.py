"""Settings, read from the environment with safe defaults.

With no environment at all the quick start works: SQLite under var/, tasks run eagerly in-process,
emails are written as files under var/outbox/, and a development SECRET_KEY is generated into var/.
"""

import datetime
import os
import secrets
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", default=True)


def _secret_key():
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    # Development only: a key generated once into var/ so sessions survive restarts; var/ is not committed.
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SERVICE_NAME = "Scrutiny commitments tracker"
SERVICE_PHASE = os.environ.get("SERVICE_PHASE", "Beta")  # the phase banner's tag
FEEDBACK_URL = os.environ.get(
    "FEEDBACK_URL", "mailto:" + os.environ.get("DEFAULT_FROM_EMAIL", "tracker@localhost")
)
# With DEBUG on, pages still answer 404, 403 and 500 with the service's own pages (tracker.middleware); set
# this to see Django's technical pages (URL patterns tried, tracebacks) instead.
TECHNICAL_ERROR_PAGES = env_bool("TECHNICAL_ERROR_PAGES", default=False)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django_filters",
    "django_celery_beat",
    "axes",
    "csp",
    "tracker",
    "responses",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "tracker.middleware.LoginRequiredEverywhereMiddleware",
    "tracker.middleware.ServiceErrorPagesMiddleware",
    # Last, as django-axes requires: it turns a locked-out sign-in into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tracker.urls"
WSGI_APPLICATION = "tracker.wsgi.application"
ASGI_APPLICATION = "tracker.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tracker.context_processors.rules",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'tracker.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
    )
}
if os.environ.get("TEST_DATABASE_NAME"):
    # Lets several test runs share one PostgreSQL server without colliding.
    DATABASES["default"]["TEST"] = {"NAME": os.environ["TEST_DATABASE_NAME"]}
IS_POSTGRES = DATABASES["default"]["ENGINE"].endswith("postgresql")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Sign-in throttling (django-axes) on both sign-in pages, /accounts/login/ and /admin/login/: after
# SIGNIN_FAILURE_LIMIT wrong passwords for one username from one address within SIGNIN_COOLOFF_MINUTES, that
# username is refused from that address until SIGNIN_COOLOFF_MINUTES have passed since the last attempt (429 and
# templates/registration/locked_out.html). Locking the pair, not the address alone, keeps a shared office
# address open to colleagues; locking the pair, not the username alone, keeps a stranger from locking a known
# user out from everywhere. A successful sign-in clears the count. Attempts are rows in the database (axes'
# AccessAttempt), visible to administrators in the admin; `manage.py axes_reset` clears every lock.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("SIGNIN_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("SIGNIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
# The client address is the connection's (REMOTE_ADDR): a proxy's X-Forwarded-For can be forged by the client.
# Behind a reverse proxy every request comes from the proxy, so the lock then falls on the username alone.

LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"
# Internal deployments can close every page behind sign-in; public records stay open by default.
LOGIN_REQUIRED_EVERYWHERE = env_bool("LOGIN_REQUIRED_EVERYWHERE", default=False)

LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns at start-up when it is missing
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # GOV.UK Frontend from npm (`make run`/`make test` run `npm ci`): its JavaScript and assets under
    # /static/govuk/, and our compiled stylesheet (no GDS Transport font) under /static/build/.
    ("govuk", BASE_DIR / "node_modules" / "govuk-frontend" / "dist" / "govuk"),
    ("build", BASE_DIR / "node_modules" / ".build"),
]
# The icons browsers and tools ask for at the root (/favicon.ico, /apple-touch-icon.png), served by whitenoise.
WHITENOISE_ROOT = BASE_DIR / "static" / "tracker" / "icons"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Letters up to the ingestion limit must pass through the upload form.
DATA_UPLOAD_MAX_MEMORY_SIZE = 25 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Email: an SMTP URL (smtp://user:pass@host:port, smtp+tls://..., smtp+ssl://...) or files under var/outbox/.
EMAIL_URL = os.environ.get("EMAIL_URL", "")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "tracker@localhost")
if EMAIL_URL:
    from urllib.parse import unquote, urlparse

    _email = urlparse(EMAIL_URL)
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _email.hostname or "localhost"
    EMAIL_PORT = _email.port or 25
    EMAIL_HOST_USER = unquote(_email.username or "")
    EMAIL_HOST_PASSWORD = unquote(_email.password or "")
    EMAIL_USE_TLS = _email.scheme == "smtp+tls"
    EMAIL_USE_SSL = _email.scheme == "smtp+ssl"
    EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "20"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "outbox"

# Celery: without a broker the tasks run eagerly in-process (the quick start).
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND") or None
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
# The queue tasks are sent to, by the web and by tasks that queue others (the fan-outs): every worker of one
# deployment must agree on it, or a task queued by a worker waits on a queue nobody reads.
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_TASK_DEFAULT_QUEUE", "celery")
# A digest claimed by a worker that died is taken over (and re-queued by the 15-minute schedule) after this long.
DIGEST_CLAIM_EXPIRES_SECONDS = int(os.environ.get("DIGEST_CLAIM_EXPIRES_SECONDS", "900"))
# The weekly run sends digests in batches of this many subscribers, each batch built together (tracker.digests).
DIGEST_BATCH_SIZE = int(os.environ.get("DIGEST_BATCH_SIZE", "1000"))
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

# Reading an uploaded letter (responses.tasks.read_uploaded_letter): the task's time limits. OCR has its own
# budget below these (OCR_TOTAL_SECONDS, default 300). An upload untouched for longer than the hard limit is
# shown as stopped and may be read again (its worker died).
LETTER_READING_SOFT_TIME_LIMIT = int(os.environ.get("LETTER_READING_SOFT_TIME_LIMIT", "420"))
LETTER_READING_TIME_LIMIT = int(os.environ.get("LETTER_READING_TIME_LIMIT", "480"))
LETTER_READING_STALLED_AFTER_SECONDS = LETTER_READING_TIME_LIMIT + 60

# Digest escalation: items overdue longer than this reach the department's senior contacts.
ESCALATION_AFTER_WEEKS = int(os.environ.get("ESCALATION_AFTER_WEEKS", "8"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Content-Security-Policy (django-csp), sent on every page, under `make run` too: scripts only from the app
# itself or inline with the response's nonce (GOV.UK Frontend's `js-enabled` line and its initAll module in
# base.html carry it); styles, images and fonts only from the app (images also as data: URIs, which GOV.UK
# Frontend's stylesheet uses); no plugins, no framing, forms post only to the app. Django's debug pages (DEBUG
# only) are left without it by django-csp.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

if not DEBUG:
    # Production: HTTPS only. The service sits behind a TLS-terminating proxy that says so in
    # X-Forwarded-Proto (TRUST_X_FORWARDED_PROTO=0 when the app itself is reached over HTTPS, or when the
    # proxy does not set that header: trusting it then would let any client claim HTTPS).
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    if env_bool("TRUST_X_FORWARDED_PROTO", default=True):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the container's own health check speaks plain HTTP
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
