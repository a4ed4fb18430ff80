"""coopnet settings. Everything that differs between machines comes from the environment.

DATABASE_URL  default sqlite:///var/coopnet.sqlite3 (WAL mode); postgres://... in production
SECRET_KEY    required when DEBUG is off
DEBUG         "1"/"true" to enable (default on for local runs, off when DJANGO_PRODUCTION is set)
ALLOWED_HOSTS comma-separated (default: localhost names)
COOPNET_VAR   where runtime state lives (default ./var)
STATS_DIR     the columnar store of statistics, Parquet files read by DuckDB (default $COOPNET_VAR/stats)
IMPORT_WORKERS processes that validate a large import file (default: the number of CPUs, at most 4; 0 = none)
MATCH_INDEX_DIR the partner-search index shared by a machine's workers (default VAR_DIR/matchindex)
MATCH_INDEX_FOLLOW 0 = web workers do not keep the shared index current (run `coopnet matchindex --follow`)
MATCH_INDEX_POLL seconds between the index writer's reads of the change log (default 0.2)
MATCH_OVERLAY_MAX organisations a worker indexes in memory while the shared index catches up (default 2000)
MATCH_COLD_MAX registry size up to which a worker with no shared index indexes it in memory (default 5000)
"""
from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("COOPNET_VAR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)
STATS_DIR = Path(os.environ.get("STATS_DIR", VAR_DIR / "stats"))


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = _flag("DEBUG", not os.environ.get("DJANGO_PRODUCTION"))
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise RuntimeError("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "coopnet-local-development-key-not-for-production"
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver").split(",")
    if h.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "django_tables2",
    "django_htmx",
    "simple_history",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "coopnet.core",
    "coopnet.accounts",
    "coopnet.reference",
    "coopnet.registry",
    "coopnet.exchange",
    "coopnet.financing",
    "coopnet.plans",
    "coopnet.stats",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "coopnet.urls"
WSGI_APPLICATION = "coopnet.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "coopnet.core.navigation.menu",
            ],
        },
    },
]

_default_db = f"sqlite:///{VAR_DIR / 'coopnet.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(os.environ.get("DATABASE_URL", _default_db), conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers work while an import writes; IMMEDIATE avoids "database is locked" upgrades.
        "init_command": "PRAGMA journal_mode=wal; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"

LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", _("Russian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "coopnet" / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "media/"
MEDIA_ROOT = VAR_DIR / "media"
# Files only a permission-checking view serves (a bank's application documents): outside MEDIA_ROOT, no URL.
PRIVATE_FILES_ROOT = Path(os.environ.get("PRIVATE_FILES_ROOT", VAR_DIR / "private"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Largest file accepted by the web and API importers (the command line has no limit).
COOPNET_MAX_UPLOAD_BYTES = int(os.environ.get("COOPNET_MAX_UPLOAD_BYTES", 200 * 1024 * 1024))
# Processes that read and validate a large import file in parallel (coopnet.registry.importing).
IMPORT_WORKERS = int(os.environ.get("IMPORT_WORKERS", min(os.cpu_count() or 1, 4)))
# Partner search (coopnet.exchange.engine): the machine's shared index, its writer thread, the overlay.
MATCH_INDEX_DIR = Path(os.environ.get("MATCH_INDEX_DIR", VAR_DIR / "matchindex"))
MATCH_INDEX_FOLLOW = os.environ.get("MATCH_INDEX_FOLLOW", "1") not in ("0", "false", "no", "")
MATCH_INDEX_POLL = float(os.environ.get("MATCH_INDEX_POLL", "0.2"))
MATCH_OVERLAY_MAX = int(os.environ.get("MATCH_OVERLAY_MAX", "2000"))
MATCH_COLD_MAX = int(os.environ.get("MATCH_COLD_MAX", "5000"))

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend",
                                "rest_framework.filters.OrderingFilter"],
    "DEFAULT_PAGINATION_CLASS": "coopnet.core.api.pagination.BoundedLimitOffsetPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.BasicAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "EXCEPTION_HANDLER": "coopnet.core.api.errors.exception_handler",
    "DEFAULT_PARSER_CLASSES": [
        "coopnet.core.api.parsers.JSONParser",
        "coopnet.core.api.parsers.FormParser",
        "coopnet.core.api.parsers.MultiPartParser",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "coopnet API",
    "DESCRIPTION": "Industrial cooperation, subcontracting and technology transfer in the EAEU.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums",
                             "coopnet.core.api.schema.declare_error_responses"],
    # Swagger UI from the pinned sidecar package (no CDN), its script in a file of its own (the policy below)
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}
DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5.html"

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# Content security policy (django-csp): scripts only from our own files, never inline or from data; data
# reaches scripts through `json_script` blocks. Styles may be inline (Leaflet and Plotly position their
# elements with style attributes). Files and images come from our origin (data: for Leaflet's icons).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
SECURE_CONTENT_TYPE_NOSNIFF = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
