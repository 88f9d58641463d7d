"""Settings for DLT Library, read from the environment.

Development defaults are safe to run locally (SQLite in the project folder, DEBUG on).
Production sets DEBUG=0, SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL; see README.md.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "taggit",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    # Readers' API tokens, shown on the profile page (`manage.py drf_create_token USER`).
    "rest_framework.authtoken",
    "drf_spectacular_sidecar",  # Swagger UI files for /api/docs/
    "simple_history",  # history of catalogue changes
    "axes",  # login throttling
    "django_tasks",  # background jobs (imports, link checks, metadata), see resources/jobs.py
    "django_tasks_db",
    "resources",
    "benchmarks",
]

MIDDLEWARE = [
    # First: every request gets its id and its access-log line (resources/observability.py).
    "resources.observability.RequestObservabilityMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # NUL bytes are refused before anything reads the query (PostgreSQL cannot store them).
    "resources.middleware.RejectNulBytesMiddleware",
    # The page cache's version tokens are read once per request (resources/caching.py).
    "resources.caching.RequestVersionsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "resources.languages.ReaderLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # After AuthenticationMiddleware: history rows record the signed-in curator who made a change.
    "simple_history.middleware.HistoryRequestMiddleware",
    "csp.middleware.CSPMiddleware",
    "resources.middleware.AdminInlineStylesMiddleware",
    "resources.middleware.DatabaseUnavailableMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes requires
]

ROOT_URLCONF = "dlt_library.urls"

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
                "django.template.context_processors.i18n",
            ],
        },
    },
    # A list's rows (fifty a page) and its filter drawer (templates/jinja2/): Jinja2 renders
    # them in about half the time. Always asked for by name, with `using="jinja2"`
    # (resources/jinja_env.py has what they may call).
    {
        "NAME": "jinja2",
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "resources.jinja_env.environment",
            "extensions": ["jinja2.ext.i18n"],
        },
    },
]

WSGI_APPLICATION = "dlt_library.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers proceed while a writer commits; busy timeout avoids "database is locked"
    # under a multi-process server.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

# --- Search: SQLite reads the rows a full-text match names through a memory map, which halves
# the cost of large result sets (see README, "Search performance").
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"]["init_command"] += " PRAGMA mmap_size=268435456;"
# --- end search

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Chinese first: a visitor whose browser names neither language gets Chinese. Each language is
# named in itself, so the switcher reads right whatever language the page is in.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# A year, like the reader's choice saved in their profile; readable by the theme script.
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_URL = "/media/"
MEDIA_ROOT = BASE_DIR / "media"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "resources:my-library"
LOGOUT_REDIRECT_URL = "resources:home"

# Caches. "pages" holds what is the same for every visitor (resources/caching.py); it must be
# shared by every server process so that one retirement reaches them all: Redis when
# configured (a Redis outage makes pages render uncached, not fail), else files on local disk.
REDIS_URL = os.environ.get("REDIS_URL", "")
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "600"))
# A list row's body, kept in each process's memory under a key made of everything it shows, so
# it never needs retiring (resources/row_bodies.py); the least recently used go first.
# ROW_BODIES_KEPT=0 keeps none.
ROW_BODIES_KEPT = int(os.environ.get("ROW_BODIES_KEPT", "10000"))
ROW_BODIES_CACHE = (
    {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "row-bodies",
        "OPTIONS": {"MAX_ENTRIES": ROW_BODIES_KEPT},
    }
    if ROW_BODIES_KEPT > 0
    else {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
)
if REDIS_URL:
    _redis = {
        # Django's RedisCache, read as empty while Redis is down (resources/cache_backends.py).
        "BACKEND": "resources.cache_backends.TolerantRedisCache",
        "LOCATION": REDIS_URL,
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
    CACHES = {
        "default": {**_redis, "KEY_PREFIX": "dlt"},
        "pages": {**_redis, "KEY_PREFIX": "dlt-pages"},
        "row-bodies": ROW_BODIES_CACHE,
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "dlt-library",
        },
        "pages": {
            "BACKEND": "resources.cache_backends.FileCache",
            "LOCATION": os.environ.get("PAGE_CACHE_DIR", str(BASE_DIR / "var" / "page-cache")),
            "OPTIONS": {"MAX_ENTRIES": 5000, "CULL_FREQUENCY": 3},
        },
        "row-bodies": ROW_BODIES_CACHE,
    }

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        # Readers' library: scripts use the token from the profile page.
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    # JSON nested past a few dozen levels is refused with 400 (it would recurse into a 500).
    "DEFAULT_PARSER_CLASSES": [
        "resources.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "resources.pagination.ResourcePagination",
    "PAGE_SIZE": 20,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
}

SPECTACULAR_SETTINGS = {
    "TITLE": "DLT Library API",
    "DESCRIPTION": "Read the deep-learning-theory library; manage your own bookmarks and notes.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # /api/docs/ serves Swagger UI from the vendored sidecar package, never from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
}

TAGGIT_CASE_INSENSITIVE = True

# Security: strict by default when DEBUG is off; SECURE_SSL_REDIRECT=0 allows a local
# production-mode run without a TLS proxy in front.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "DLT Library <noreply@localhost>")

# The library's catalogue pages: entries per page in the HTML list and default in the API.
CATALOGUE_PAGE_SIZE = 50

# Curators' workflow: `check_links` identifies itself and waits this long between two requests
# to one host.
LINK_CHECK_USER_AGENT = "DLT-Library-linkcheck/1.0 (+https://github.com/foocker/deeplearningtheory)"
LINK_CHECK_HOST_DELAY = float(os.environ.get("LINK_CHECK_HOST_DELAY", "0.5"))
# Off: `check_links` never contacts loopback, private or other non-public addresses (SSRF).
LINK_CHECK_ALLOW_PRIVATE_ADDRESSES = env_bool("LINK_CHECK_ALLOW_PRIVATE_ADDRESSES", False)

# Scholarly metadata (`enrich_metadata`, the admin's "Fetch metadata from arXiv"): the arXiv
# API and the pause between its requests (arXiv asks API clients for 3 seconds).
ARXIV_API_URL = os.environ.get("ARXIV_API_URL", "http://export.arxiv.org/api/query")
ARXIV_API_DELAY = float(os.environ.get("ARXIV_API_DELAY", "3"))

# Production hardening, see README.md "Running in production".
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Load balancers probe these over plain http inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
CSRF_COOKIE_HTTPONLY = True

# Login throttling: 5 failures for one username from one address lock that pair for 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_CALLABLE = "resources.security.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Behind TLS proxies, attempts are counted per client (X-Forwarded-For, as far as the N trusted
# proxies wrote it), not per proxy; 0, the default, ignores the header (see README).
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "resources.security.client_address"

# --- Operations at scale (issue 16): background jobs, logs, metrics; see docs/deploy.md ------
# Jobs are queued in the database (django-tasks' database backend): queuing commits with the
# request that asked for it, and a Redis outage loses no queued work. `make worker` runs them.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# A running job's progress, shared by the worker and every app server.
if REDIS_URL:
    CACHES["jobs"] = {**CACHES["default"], "KEY_PREFIX": "dlt-jobs"}
else:
    CACHES["jobs"] = {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": os.environ.get("JOB_PROGRESS_DIR", str(BASE_DIR / "var" / "job-progress")),
    }

# Logs: one JSON object per line in production (LOG_FORMAT=json), readable text in development;
# each line has the time, level, logger, request id and user id (resources/observability.py).
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"context": {"()": "resources.observability.RequestContextFilter"}},
    "formatters": {
        "json": {"()": "resources.observability.JsonLogFormatter"},
        "text": {
            "format": "{asctime} {levelname} {name} [{request_id} user={user_id}] {message}",
            "style": "{",
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["context"],
            "formatter": "json" if LOG_FORMAT == "json" else "text",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        # One line per request (method, path without its query, status, duration).
        "dlt.access": {"level": "INFO" if env_bool("ACCESS_LOG", not DEBUG) else "WARNING"},
        # Jobs queued, started, finished, failed.
        "resources.jobs": {"level": "INFO"},
    },
}

# Prometheus metrics at /metrics: from these addresses directly (not through a proxy), or with
# `Authorization: Bearer $METRICS_TOKEN`. Several gunicorn workers: set PROMETHEUS_MULTIPROC_DIR
# (docs/deploy.md) so every worker's counts are added up.
METRICS_ALLOWED_IPS = env_list("METRICS_ALLOWED_IPS", "127.0.0.1,::1")
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")
