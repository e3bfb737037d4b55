"""Project settings: one file, driven by environment variables (see .env.example)."""

import os
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

# Lets generic Django classes be subscripted at run time (admin.ModelAdmin[Report]) for mypy --strict.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
# The shared reference folder (seed reports, standards) sits beside the project in CI and on
# developers' machines; tests that need it skip when it is absent.
SHARED_DIR = Path(os.environ.get("TTHC_SHARED_DIR", BASE_DIR.parent / "shared"))


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)
TESTING = len(sys.argv) > 1 and sys.argv[1] == "test"
# Commands that neither serve requests nor sign anything may run without a real secret key.
KEYLESS_COMMAND = len(sys.argv) > 1 and sys.argv[1] in {"test", "makemigrations"}

SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if DEBUG or KEYLESS_COMMAND:
        SECRET_KEY = "development-only-insecure-key-never-used-in-production"  # noqa: S105
    else:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG or TESTING else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_tasks_db",
    "axes",
    "communes",
    "reports",
    "dossiers",
    "ops",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "communes.middleware.PrivacyHeadersMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the Vietnamese lockout page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # First, so a locked pair is refused before the password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                # {{ csp_nonce }} for the few <style>/<script> elements that must be in the page.
                "django.template.context_processors.csp",
            ],
        },
    },
]

# SQLite in the project folder is the embedded default; production sets DATABASE_URL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(env_str("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Waiting for a lock beats failing when two requests write at once.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Login throttle (django-axes, counters in the database so every worker and server shares them):
# LOGIN_THROTTLE_ATTEMPTS failures for one pair (user name, client address) lock that pair for
# LOGIN_THROTTLE_WINDOW seconds after the latest failure. Other addresses are not affected.
LOGIN_THROTTLE_ATTEMPTS = int(env_str("DJANGO_LOGIN_THROTTLE_ATTEMPTS", "10"))
LOGIN_THROTTLE_WINDOW = int(env_str("DJANGO_LOGIN_THROTTLE_WINDOW", "900"))
# Behind a reverse proxy the client's address is in a header the proxy sets (e.g. HTTP_X_REAL_IP);
# without it every client would share the proxy's address and its failure count.
LOGIN_THROTTLE_CLIENT_IP_HEADER = env_str("DJANGO_CLIENT_IP_HEADER", "REMOTE_ADDR")
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = LOGIN_THROTTLE_ATTEMPTS
AXES_COOLOFF_TIME = timedelta(seconds=LOGIN_THROTTLE_WINDOW)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "communes.login_throttle.username_for_throttle"
AXES_CLIENT_IP_CALLABLE = "communes.login_throttle.client_address"
AXES_LOCKOUT_CALLABLE = "communes.login_throttle.lockout_response"
AXES_RESET_ON_SUCCESS = True
# The wait shown on the lockout page counts from the failure that locked the pair; retrying
# during the lockout does not push it back, so the minutes shown are the truth.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# Successful logins are not journalled by axes (Django's sessions and our logs cover them).
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False

# PDF/DOCX downloads (reports/rendering/limits.py): seconds a request waits for its file, renders
# one user may have running at once, and rendering threads per process.
RENDER_TIME_LIMIT = int(env_str("DJANGO_RENDER_TIME_LIMIT", "20"))
RENDER_PER_USER = int(env_str("DJANGO_RENDER_PER_USER", "2"))
RENDER_THREADS = int(env_str("DJANGO_RENDER_THREADS", "2"))

# /healthz (ops/views.py): the task worker counts as alive if it ran its heartbeat task within
# this many seconds (a timer enqueues one every minute); set DJANGO_HEALTHZ_REQUIRE_WORKER=False
# on a web machine whose health must not depend on the workers.
HEALTHZ_WORKER_MAX_AGE = int(env_str("DJANGO_HEALTHZ_WORKER_MAX_AGE", "300"))
HEALTHZ_REQUIRE_WORKER = env_bool("DJANGO_HEALTHZ_REQUIRE_WORKER", True)

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt")]
# Vietnamese for the strings Django's own catalogue still lacks (the admin city administrators use).
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env_str("DJANGO_MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "/media/"
# Rendered PDF and DOCX files keyed by the hash of their content (reports/rendering/cache.py);
# every web process and worker on one machine shares it, and deleting it only costs re-rendering.
RENDER_CACHE_DIR = Path(env_str("DJANGO_RENDER_CACHE_DIR", str(MEDIA_ROOT / "render-cache")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Uploaded signed scans are read into memory up to this size, then refused by the form.
DATA_UPLOAD_MAX_MEMORY_SIZE = 25 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

WHITENOISE_AUTOREFRESH = DEBUG or TESTING

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Outgoing mail (Django 6.1 MAILERS): SMTP in production, the console on a developer's machine.
MAIL_BACKEND = env_str(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
MAIL_OPTIONS: dict[str, object] = {}
if MAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend":
    MAIL_OPTIONS = {
        "host": env_str("DJANGO_EMAIL_HOST", "localhost"),
        "port": int(env_str("DJANGO_EMAIL_PORT", "25")),
        "username": env_str("DJANGO_EMAIL_USER") or None,
        "password": env_str("DJANGO_EMAIL_PASSWORD") or None,
        "use_tls": env_bool("DJANGO_EMAIL_USE_TLS", False),
        "timeout": 20,
    }
MAILERS = {"default": {"BACKEND": MAIL_BACKEND, "OPTIONS": MAIL_OPTIONS}}
DEFAULT_FROM_EMAIL = env_str("DJANGO_DEFAULT_FROM_EMAIL", "Báo cáo CCHC <noreply@localhost>")

# Background work (the period's ZIP) runs on Django's task framework. The database backend keeps
# the queue in the app's own database, so every `manage.py db_worker`, on any machine pointing at
# the same DATABASE_URL, takes tasks from it; tests run tasks at once, in the test's process.
TASKS = {
    "default": {
        "BACKEND": env_str(
            "DJANGO_TASKS_BACKEND",
            "django.tasks.backends.immediate.ImmediateBackend" if TESTING else "django_tasks_db.DatabaseBackend",
        ),
    }
}

# Processes the task worker forks to render a period's PDFs for its ZIP: one per core, at most four
# (rendering is CPU-bound; a ZIP is built a few times a period, so it may take the machine briefly).
PERIOD_EXPORT_PROCESSES = max(1, env_int("DJANGO_PERIOD_EXPORT_PROCESSES", min(4, os.cpu_count() or 1)))

# Draw a report's PDF in the background as soon as it is sent or accepted, so the period's ZIP at
# the deadline finds most files already drawn. Off in tests, where tasks run at once in the
# request: the tests that need it turn it on.
PRERENDER_SENT_REPORTS = env_bool("DJANGO_PRERENDER_SENT_REPORTS", not TESTING)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600
if not DEBUG and not TESTING:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    # The load balancer probes /healthz over plain HTTP on the private network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(env_str("DJANGO_SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True

# Content-Security-Policy (Django's own middleware): only our static files run or style pages; no
# inline script or style attribute anywhere (tests/test_headers.py scans the templates); the few
# <style> blocks a page needs (a report's margins, the admin's) carry the request's nonce.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    # Bootstrap draws its form icons as data: SVG images from its stylesheet.
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"expected_errors": {"()": "communes.logs.ExpectedErrorsWithoutTraceback"}},
    "formatters": {
        # One line per record: time, level, logger, message (the audit messages are key=value).
        "line": {"format": "time=%(asctime)s level=%(levelname)s logger=%(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "line", "filters": ["expected_errors"]}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "WARNING")},
    "loggers": {
        # Failed logins are logged once, as one structured line, by communes/logs.py.
        "axes": {"level": "ERROR"},
        "django.tasks": {"level": "WARNING" if TESTING else "INFO"},
        # Expected 4xx answers go through the root handler once (no second copy from Django's own).
        "django.request": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "django.security": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        # Transitions and failed logins, whatever the root level (INFO unless DJANGO_AUDIT_LOG_LEVEL says
        # otherwise; quiet in tests, which capture them with assertLogs).
        "tthc.audit": {
            "handlers": ["console"],
            "level": env_str("DJANGO_AUDIT_LOG_LEVEL", "ERROR" if TESTING else "INFO"),
            "propagate": False,
        },
    },
}

TEST_RUNNER = "config.test_runner.ProjectTestRunner"
