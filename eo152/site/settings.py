"""Django settings, every one read from the environment so one build runs anywhere.

- ``EO152_DATA_DIR``: the data folder (SQLite database, collected static files, secret key);
  see :mod:`eo152.config`.
- ``DATABASE_URL``: ``postgresql://…`` or ``sqlite:///…``; SQLite in the data folder if unset.
- ``EO152_SECRET_KEY``: signs CSRF tokens; if unset, a key made once and kept in the data
  folder.
- ``EO152_ALLOWED_HOSTS``: comma-separated host names the app answers to
  (default ``localhost,127.0.0.1,[::1]``).
- ``EO152_DEBUG``: ``1`` shows Django's debug pages; never in a deployment (off by default).
- ``EO152_READINGS``: a readings file answering open legal questions (none: all stay open).
- ``EO152_NODE_MODULES``: where ``npm ci`` put the front-end packages (default: the
  checkout's ``node_modules``).
- ``EO152_BEHIND_HTTPS_PROXY``: ``1`` behind a TLS-terminating proxy, so that
  ``X-Forwarded-Proto: https`` counts as HTTPS (HTTPS redirect, HSTS, secure CSRF cookie).
  Cookies set on an HTTPS request are always marked secure.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

from ..config import Settings
from .secret import load_or_create_secret_key

_eo152 = Settings.from_env()
_checkout = Path(__file__).resolve().parents[2]
_node_modules = Path(os.environ.get("EO152_NODE_MODULES") or _checkout / "node_modules")

EO152_READINGS = os.environ.get("EO152_READINGS") or None
DEBUG = os.environ.get("EO152_DEBUG", "") == "1"
SECRET_KEY = os.environ.get("EO152_SECRET_KEY") or load_or_create_secret_key(_eo152.data_dir)
ALLOWED_HOSTS = [
    host.strip()
    for host in os.environ.get("EO152_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",")
    if host.strip()
]

INSTALLED_APPS = [
    "django.contrib.staticfiles",
    "eo152.web",
    "eo152.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "eo152.site.security.ContentSecurityPolicyMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "eo152.site.urls"
WSGI_APPLICATION = "eo152.site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.csrf",
                "eo152.web.context.page_language",
            ]
        },
    }
]

DATABASES = {"default": dj_database_url.parse(_eo152.database_url, conn_max_age=60)}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL: readers never wait for the writer, so several server workers share one file.
    DATABASES["default"]["OPTIONS"] = {"init_command": "PRAGMA journal_mode=WAL;"}

# No sessions or users yet: the only cookie is the CSRF token.
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Strict"
CSRF_FAILURE_VIEW = "eo152.site.errors.csrf_failure"
if os.environ.get("EO152_BEHIND_HTTPS_PROXY") == "1":
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 31_536_000
    SECURE_SSL_REDIRECT = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# The API refuses bodies over 1 MB itself (413); this is Django's own ceiling for forms.
DATA_UPLOAD_MAX_MEMORY_SIZE = 1_048_576

STATIC_URL = "/static/"
STATIC_ROOT = _eo152.data_dir / "static"
#: The server's run folder (nginx's configuration, the Granian socket, the workers' locks).
EO152_RUN_DIR = _eo152.data_dir / "run"
NODE_MODULES = _node_modules
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "eo152.web.assets.PackageFinder",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

USE_TZ = True
TIME_ZONE = "America/Denver"
USE_I18N = False  # the two languages are the app's own catalogue (eo152.web.language)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"stderr": {"class": "logging.StreamHandler"}},
    "loggers": {
        "django": {"handlers": ["stderr"], "level": "WARNING"},
        # A 4xx is the client's mistake, answered as such: logged, one line each, it lets any
        # client fill the disk (41,000 lines in one probe). 5xx errors are still logged.
        "django.request": {"handlers": ["stderr"], "level": "ERROR", "propagate": False},
        "django.security": {"handlers": ["stderr"], "level": "ERROR", "propagate": False},
        "eo152": {"handlers": ["stderr"], "level": "WARNING"},
    },
}
