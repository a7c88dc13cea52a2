"""Klubba settings.

The embedded default needs no service: a SQLite file and the in-memory channel layer in one
process. ``DATABASE_URL`` switches to PostgreSQL and ``REDIS_URL`` to the Redis channel layer;
the code path is the same.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("KLUBBA_VAR_DIR", BASE_DIR / "var"))


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = _env_bool("KLUBBA_DEBUG", False)

SECRET_KEY = os.environ.get("KLUBBA_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "KLUBBA_SECRET_KEY is not set. Set it (e.g. `python -c 'import secrets; "
            "print(secrets.token_urlsafe(50))'`) or run with KLUBBA_DEBUG=1 for development."
        )
    SECRET_KEY = "klubba-development-only-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("KLUBBA_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("KLUBBA_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "channels",
    "meetings",
    "voting",
    "minutes",
    "realtime",
    "web",
    # Strong identity (issue 16): second factors and single sign-on.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "identity",
    # Before the meeting (issue 15): notice, kungörelse, förhinder, remote requests, mail.
    "notices",
    # The HTTP JSON API for scripted clients (docs/api.md), on django-ninja; "ninja" only
    # for its static files: the API's docs page loads Swagger UI from here, not from a CDN.
    "ninja",
    "api",
    # Login throttling and lockout (docs/security.md): failed passwords counted per user.
    "axes",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "web.language.ChosenLanguageMiddleware",  # Swedish unless the person chose English
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "identity.sessions.IdleTimeoutMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "identity.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last: turns a lockout during this request into the lockout page (identity.throttle).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "klubba.urls"
ASGI_APPLICATION = "klubba.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "web.context_processors.setup_link",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# Persistent connections: a websocket server does its database work on one thread per process,
# and opening a connection per call (PostgreSQL's handshake, SQLite's setup) costs more than
# most queries.
CONN_MAX_AGE = int(os.environ.get("KLUBBA_DB_CONN_MAX_AGE", 600))
if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.config(conn_max_age=CONN_MAX_AGE,
                                                   conn_health_checks=True)}
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("KLUBBA_SQLITE_PATH", str(VAR_DIR / "klubba.sqlite3")),
            "CONN_MAX_AGE": CONN_MAX_AGE,
            # IMMEDIATE takes the write lock at BEGIN, so two writers queue instead of deadlocking
            # on a lock upgrade; the timeout lets them wait instead of failing.
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE", "timeout": 20,
                # WAL: readers do not wait for the writer, and a commit is not an fsync of
                # the whole database (NORMAL is durable across a crash of the process).
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Channel layer ----------------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                "hosts": [REDIS_URL],
                "capacity": 5000,
                # Must not be lower than Daphne's websocket timeout (see docs/operations.md).
                "group_expiry": 86400 * 2,
            },
        }
    }
else:
    # One message per event per process (realtime.hub), but a burst of commits may queue
    # many before the hub takes them; the default capacity of 100 would drop them.
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer",
                                  "CONFIG": {"capacity": 5000}}}

# --- Auth -------------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"
# The throttle first: a locked-out username is refused before any password is checked.
AUTHENTICATION_BACKENDS = ["identity.backends.PasswordThrottle",
                           "identity.backends.LocalPasswordsSwitch",
                           "django.contrib.auth.backends.ModelBackend"]

# Password throttling (django-axes, identity/throttle.py): after AXES_FAILURE_LIMIT wrong
# passwords for one username — at login or at signing — that username is locked for the
# cool-off; a failure while locked starts the cool-off again. Counted per username only: many
# members share one municipal NAT address. Single sign-on logins carry no username and are
# never counted.
AXES_FAILURE_LIMIT = int(os.environ.get("KLUBBA_LOGIN_FAILURE_LIMIT", 10))
AXES_COOLOFF_TIME = timedelta(minutes=float(os.environ.get("KLUBBA_LOGIN_COOLOFF_MINUTES", 15)))
AXES_LOCKOUT_PARAMETERS = ["username"]
# axes warns that without ip_address a guesser could rotate user agents; with "username" alone
# its database handler sums every row of the username whatever the agent, so that does not apply.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "identity.throttle.lockout_response"
AXES_DISABLE_ACCESS_LOG = True  # successful logins are in identity's audit log already
AXES_SENSITIVE_PARAMETERS = ["username", "password", "otp_token", "csrfmiddlewaretoken"]
# Daphne (--proxy-headers) puts the client's address in REMOTE_ADDR; never trust a header here.
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]
AXES_VERBOSE = False
# Passkeys (django-otp-webauthn) as a second factor only, never a passwordless login. The
# relying party id is the site's domain (not an IP address); the origins are the full
# scheme://host[:port] the browsers use (docs/operations.md).
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
OTP_WEBAUTHN_RP_ID = os.environ.get("KLUBBA_WEBAUTHN_RP_ID", "localhost")
OTP_WEBAUTHN_RP_NAME = os.environ.get("KLUBBA_WEBAUTHN_RP_NAME", "Klubba")
OTP_WEBAUTHN_ALLOWED_ORIGINS = os.environ.get(
    "KLUBBA_WEBAUTHN_ORIGINS", "http://localhost:8000").split()

# Second factor (django-otp): the name the authenticator app shows for the account.
OTP_TOTP_ISSUER = os.environ.get("KLUBBA_OTP_ISSUER", "Klubba")

# Single sign-on with the organisation's OpenID Connect provider (docs/operations.md). Off
# unless a client id is set; every endpoint is given explicitly (no discovery at start-up).
OIDC_RP_CLIENT_ID = os.environ.get("KLUBBA_OIDC_CLIENT_ID", "")
if OIDC_RP_CLIENT_ID:
    OIDC_RP_CLIENT_SECRET = os.environ.get("KLUBBA_OIDC_CLIENT_SECRET", "")
    OIDC_OP_ISSUER = os.environ["KLUBBA_OIDC_ISSUER"]
    OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ["KLUBBA_OIDC_AUTHORIZATION_ENDPOINT"]
    OIDC_OP_TOKEN_ENDPOINT = os.environ["KLUBBA_OIDC_TOKEN_ENDPOINT"]
    OIDC_OP_USER_ENDPOINT = os.environ["KLUBBA_OIDC_USERINFO_ENDPOINT"]
    OIDC_OP_JWKS_ENDPOINT = os.environ["KLUBBA_OIDC_JWKS_ENDPOINT"]
    OIDC_RP_SIGN_ALGO = os.environ.get("KLUBBA_OIDC_SIGN_ALGO", "RS256")
    OIDC_RP_SCOPES = os.environ.get("KLUBBA_OIDC_SCOPES", "openid profile")
    OIDC_USE_PKCE = True
    # No user is ever created: identity.oidc.MemberOIDCBackend.create_user refuses the login.
    OIDC_CALLBACK_CLASS = "identity.oidc.CallbackView"
    OIDC_TIMEOUT = int(os.environ.get("KLUBBA_OIDC_TIMEOUT", 10))
    LOGIN_REDIRECT_URL_FAILURE = "/konto/sso/nekad/"
    KLUBBA_OIDC_PROVIDER_NAME = os.environ.get("KLUBBA_OIDC_PROVIDER_NAME", "")
    KLUBBA_OIDC_USERNAME_CLAIM = os.environ.get("KLUBBA_OIDC_USERNAME_CLAIM", "")
    KLUBBA_OIDC_FIRST_NAME_CLAIM = os.environ.get("KLUBBA_OIDC_FIRST_NAME_CLAIM", "given_name")
    KLUBBA_OIDC_LAST_NAME_CLAIM = os.environ.get("KLUBBA_OIDC_LAST_NAME_CLAIM", "family_name")
    # Step-up before signing (identity/sso_stepup.py): the acr values that count as a
    # multi-factor login (space-separated), and the clock skew allowed for auth_time.
    KLUBBA_OIDC_MFA_ACR = os.environ.get("KLUBBA_OIDC_MFA_ACR", "")
    KLUBBA_OIDC_CLOCK_SKEW = int(os.environ.get("KLUBBA_OIDC_CLOCK_SKEW", 60))
    AUTHENTICATION_BACKENDS.append("identity.oidc.MemberOIDCBackend")

# --- i18n: Swedish by default, English on request ----------------------------------------------
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

# --- Static and media files -------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Serve from the app and project static dirs directly, so no collectstatic step is needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- Security defaults --------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
# Behind a TLS-terminating proxy (deploy/nginx/klubba.conf) the header that says the client
# used https, e.g. "X-Forwarded-Proto"; it must be one the proxy always sets (overwrites).
# Websockets read it too (realtime/origins.py): Daphne puts no scheme in a websocket scope.
_PROXY_SSL_HEADER = os.environ.get("KLUBBA_SECURE_PROXY_SSL_HEADER", "").strip()
if _PROXY_SSL_HEADER:
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _PROXY_SSL_HEADER.upper().replace("-", "_"), "https")
if not DEBUG:
    SESSION_COOKIE_SECURE = _env_bool("KLUBBA_SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
    # HSTS is sent on https responses only (SecurityMiddleware); nginx does not add its own.
    SECURE_HSTS_SECONDS = int(os.environ.get("KLUBBA_HSTS_SECONDS", 63072000))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_bool("KLUBBA_HSTS_INCLUDE_SUBDOMAINS", False)
    SECURE_HSTS_PRELOAD = _env_bool("KLUBBA_HSTS_PRELOAD", False)

# Content-Security-Policy for every page (django-csp; docs/security.md): script and style only
# from our own files (no inline <script>, no on*= handlers, no style="" — a test checks the
# templates), websockets and fetches to our own origin only, no plugins, no framing by
# others. Responses that set their own policy keep it (agenda documents: a sandbox policy).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
    },
}

# --- Mail (notices/mail.py; docs/operations.md "Mail") ---------------------------------------
# Every mail goes through Django's mail framework to this SMTP server. Without
# KLUBBA_EMAIL_HOST a development run (KLUBBA_DEBUG) keeps mail inside Klubba (the
# secretary's "Utskick" page shows it) and production uses a local MTA on localhost:25.
# KLUBBA_EMAIL_BACKEND names another Django mail backend (a dotted path), for example
# "django.core.mail.backends.filebased.EmailBackend" with KLUBBA_EMAIL_FILE_PATH.
EMAIL_HOST = os.environ.get("KLUBBA_EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("KLUBBA_EMAIL_PORT", 25))
EMAIL_HOST_USER = os.environ.get("KLUBBA_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("KLUBBA_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = _env_bool("KLUBBA_EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _env_bool("KLUBBA_EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = int(os.environ.get("KLUBBA_EMAIL_TIMEOUT", 20))
DEFAULT_FROM_EMAIL = os.environ.get("KLUBBA_EMAIL_FROM", "Klubba <klubba@localhost>")
if os.environ.get("KLUBBA_EMAIL_BACKEND"):
    EMAIL_BACKEND = os.environ["KLUBBA_EMAIL_BACKEND"]
    EMAIL_FILE_PATH = os.environ.get("KLUBBA_EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
elif not EMAIL_HOST:
    if DEBUG:
        EMAIL_BACKEND = "notices.mail.KeptBackend"
    else:
        EMAIL_HOST = "localhost"
# The address people reach Klubba at: links in mail and the calendar invitation's UID.
KLUBBA_BASE_URL = os.environ.get("KLUBBA_BASE_URL", "http://127.0.0.1:8000")

# --- Klubba -----------------------------------------------------------------------------------
KLUBBA = {
    # Largest websocket frame the server parses; larger frames get a `frame_too_large` error.
    # Every legal command fits, even with each string at its maxLength of 4-byte characters
    # sent as \u escapes (the largest is an election ballot, 200 names of 200 characters:
    # about 470 KiB); still a quarter of Daphne's 2 MiB transport limit (docs/protocol.md).
    "MAX_FRAME_BYTES": int(os.environ.get("KLUBBA_MAX_FRAME_BYTES", 1024 * 1024)),
    # How many events a reconnecting client may ask for before it gets a fresh snapshot instead.
    "MAX_REPLAY_EVENTS": int(os.environ.get("KLUBBA_MAX_REPLAY_EVENTS", 500)),
    # Live (not withdrawn) proposals one member may hold on one item; one more is refused
    # with `too_many_proposals` (meetings/commands/proposals.py).
    "MAX_PROPOSALS_PER_MEMBER": int(os.environ.get("KLUBBA_MAX_PROPOSALS_PER_MEMBER", 10)),
    # Realtime budgets per socket and per user (realtime/budgets.py, docs/protocol.md
    # "Limits"); each can be set with KLUBBA_BUDGET_<NAME>, e.g. KLUBBA_BUDGET_COMMAND_BURST.
    "BUDGETS": {
        name: float(os.environ[f"KLUBBA_BUDGET_{name}"])
        for name in ("COMMANDS_PER_SECOND", "COMMAND_BURST", "USER_COMMANDS_PER_SECOND",
                     "USER_COMMAND_BURST", "SYNCS_PER_SECOND", "SYNC_BURST",
                     "MAX_SOCKETS_PER_USER", "RECEIVE_QUEUE")
        if os.environ.get(f"KLUBBA_BUDGET_{name}")
    },
    # Recovery from channel-layer faults (realtime/recovery.py, docs/operations.md); seconds.
    "RESUBSCRIBE_INTERVAL": float(os.environ.get("KLUBBA_RESUBSCRIBE_INTERVAL", 10)),
    "OUTAGE_POLL": float(os.environ.get("KLUBBA_OUTAGE_POLL", 1)),
    "RECOVERY_GRACE": float(os.environ.get("KLUBBA_RECOVERY_GRACE", 15)),
    # Largest snapshot text (UTF-8 bytes) before long texts in it are shortened
    # (realtime/snapshots.py); far below the transport limit (docs/operations.md).
    "MAX_SNAPSHOT_BYTES": int(os.environ.get("KLUBBA_MAX_SNAPSHOT_BYTES", 256 * 1024)),
    # Key that encrypts signers' private keys at rest (see docs/operations.md).
    "SIGNING_KEY_PASSPHRASE": os.environ.get("KLUBBA_SIGNING_KEY_PASSPHRASE", ""),
    "SIGNING_DIR": Path(os.environ.get("KLUBBA_SIGNING_DIR", VAR_DIR / "signing")),
    "ORGANISATION_NAME": os.environ.get("KLUBBA_ORGANISATION_NAME", "Klubba kommun"),
    # Strong identity (docs/operations.md): local passwords on or off for the organisation
    # (superusers keep theirs), how long a second factor checked at login counts as fresh
    # for signing, and an optional external signing service (minutes.signing.service).
    "LOCAL_PASSWORDS": _env_bool("KLUBBA_LOCAL_PASSWORDS", True),
    "STEP_UP_MAX_AGE": int(os.environ.get("KLUBBA_STEP_UP_MAX_AGE", 300)),
    "SIGNING_SERVICE": os.environ.get("KLUBBA_SIGNING_SERVICE", ""),
    # Seconds a login session may go unseen before it is logged out (0: never); an open
    # meeting socket keeps its session seen (identity/sessions.py, docs/operations.md).
    "SESSION_IDLE_TIMEOUT": int(os.environ.get("KLUBBA_SESSION_IDLE_TIMEOUT", 3600)),
    # Agenda documents (meetings/setup/attachments.py): the largest file accepted, in bytes
    # (a larger one is refused with `attachment_too_large`), and the file name endings
    # accepted (others: `attachment_type_not_allowed`), comma-separated without dots. The
    # 10 MiB default fits under nginx's client_max_body_size (deploy/nginx/klubba.conf).
    "ATTACHMENT_MAX_BYTES": int(os.environ.get("KLUBBA_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)),
    "ATTACHMENT_TYPES": tuple(
        t.strip().lower().lstrip(".") for t in os.environ.get(
            "KLUBBA_ATTACHMENT_TYPES", "pdf,docx,xlsx,pptx,odt,ods,odp,txt,csv,png,jpg,jpeg"
        ).split(",") if t.strip()
    ),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Expected refusals (403, 404, 400) are one line without a traceback (klubba/logs.py).
    "formatters": {"plain": {"()": "klubba.logs.OneLineRefusals",
                             "format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("KLUBBA_LOG_LEVEL", "INFO")},
    "loggers": {"django.channels.server": {"level": "WARNING"}},
}
