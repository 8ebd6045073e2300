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
- ``EO152_DATA_REQUEST_DAYS``: business days a federal data request has when it names no
  deadline (default 3, the Colorado Open Records Act's period).
- ``EO152_NODE_MODULES``: where ``npm ci`` put the front-end packages (default: the
  checkout's ``node_modules``).
- ``EO152_CACHE_URL``: ``redis://…`` for a cache shared by several machines (rate limits,
  proof-of-work replay); default: a folder cache in the data folder, shared by one
  machine's workers.
- ``EO152_OIDC_*``: the City's single sign-on (OpenID Connect); see ``docs/accounts.md``.
- ``EO152_RATE_LIMITS``: ``0`` sets the public intake's per-client limits aside (the load
  benchmark, ``benchmarks/intake.py``); never in a deployment.
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
#: Business days a federal data request has when it names no deadline (eo152.datarequests.clock).
EO152_DATA_REQUEST_DAYS = int(os.environ.get("EO152_DATA_REQUEST_DAYS", "3"))
DEBUG = os.environ.get("EO152_DEBUG", "") == "1"
SECRET_KEY = os.environ.get("EO152_SECRET_KEY") or load_or_create_secret_key(_eo152.data_dir)
ALLOWED_HOSTS = [
    host.strip()
    for host in os.environ.get("EO152_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",")
    if host.strip()
]

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.staticfiles",
    "rules",
    "simple_history",
    "axes",
    "formtools",
    "django_altcha",
    "eo152.accounts",
    "eo152.incidents",
    "eo152.referrals",
    "eo152.datarequests",
    "eo152.exercises",
    "eo152.web",
    "eo152.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "eo152.site.security.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into its answer.
    "axes.middleware.AxesMiddleware",
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
                "django.contrib.auth.context_processors.auth",
                "eo152.web.context.page_language",
            ]
        },
    }
]

DATABASES = {"default": dj_database_url.parse(_eo152.database_url, conn_max_age=60)}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL: readers never wait for the writer, so several server workers share one file.
    DATABASES["default"]["OPTIONS"] = {"init_command": "PRAGMA journal_mode=WAL;"}

# Accounts (eo152.accounts): roles from CONTRACT.md, permissions in eo152/accounts/rules.py.
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses a locked-out account before the password
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",  # reads hashes made before Argon2
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
]
LOGIN_URL = "/sign-in"
LOGIN_REDIRECT_URL = "/incidents"
# Five wrong passwords lock the account for an hour, by account name: a sign-in's address is
# not kept (AXES_LOCKOUT_PARAMETERS), and a lockout cannot be dodged by changing networks.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = False
# A locked account gets a page in its own language saying when to try again and whom to ask.
AXES_LOCKOUT_CALLABLE = "eo152.accounts.views.locked_out"

# The City's single sign-on (OpenID Connect), on when a client id is set; docs/accounts.md
# walks through it. The provider's endpoints are given, not discovered, so starting the app
# never depends on the provider answering.
_oidc_client_id = os.environ.get("EO152_OIDC_CLIENT_ID", "")
EO152_OIDC = bool(_oidc_client_id)
if EO152_OIDC:
    from ..accounts.roles import ROLES

    INSTALLED_APPS.append("mozilla_django_oidc")
    AUTHENTICATION_BACKENDS.append("eo152.accounts.oidc.CityAccountBackend")
    OIDC_RP_CLIENT_ID = _oidc_client_id
    OIDC_RP_CLIENT_SECRET = os.environ["EO152_OIDC_CLIENT_SECRET"]
    OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ["EO152_OIDC_AUTHORIZATION_ENDPOINT"]
    OIDC_OP_TOKEN_ENDPOINT = os.environ["EO152_OIDC_TOKEN_ENDPOINT"]
    OIDC_OP_USER_ENDPOINT = os.environ["EO152_OIDC_USER_ENDPOINT"]
    OIDC_OP_JWKS_ENDPOINT = os.environ["EO152_OIDC_JWKS_ENDPOINT"]
    OIDC_RP_SIGN_ALGO = os.environ.get("EO152_OIDC_SIGN_ALGO", "RS256")
    OIDC_RP_SCOPES = os.environ.get("EO152_OIDC_SCOPES", "openid")
    #: The claim holding the person's role, and the provider's words for our roles.
    EO152_OIDC_ROLE_CLAIM = os.environ.get("EO152_OIDC_ROLE_CLAIM", "eo152_role")
    # "DPD-Officers=officer,OIM=monitor"; each of our role names also stands for itself.
    EO152_OIDC_ROLES = {role: role for role in ROLES}
    for _pair in filter(None, os.environ.get("EO152_OIDC_ROLES", "").split(",")):
        _theirs, _, _ours = (side.strip() for side in _pair.partition("="))
        if _ours not in ROLES or not _theirs:
            raise ValueError(f"EO152_OIDC_ROLES: {_pair!r} is not VALUE=ROLE with one of {ROLES}")
        EO152_OIDC_ROLES[_theirs] = _ours
    LOGIN_REDIRECT_URL_FAILURE = "/sign-in?refused=1"

# A signed-in session lasts a shift and ends with the browser.
SESSION_COOKIE_AGE = 12 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

_cache_url = os.environ.get("EO152_CACHE_URL")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _cache_url}
        if _cache_url
        else {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(_eo152.data_dir / "cache"),
        }
    )
}
# The folder cache's increments are not atomic: two requests of one client at the same instant
# may count once. A flood is still stopped a request or two later; Redis counts exactly.
# axes.W006: lockout is by account name on purpose (above), not by address.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001", "axes.W006"]
EO152_RATE_LIMITS = os.environ.get("EO152_RATE_LIMITS", "1") != "0"
RATELIMIT_ENABLE = EO152_RATE_LIMITS
ALTCHA_HMAC_KEY = SECRET_KEY
ALTCHA_INCLUDE_TRANSLATIONS = True

# The public form keeps its draft in the session; large files go to disk as they arrive.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_HANDLERS = ["django.core.files.uploadhandler.TemporaryFileUploadHandler"]

CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Strict"
CSRF_FAILURE_VIEW = "eo152.site.errors.csrf_failure"
if os.environ.get("EO152_BEHIND_HTTPS_PROXY") == "1":
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_SECURE = True
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
