"""Django settings, read from the environment so that one file serves demo, tests and production.

MILLENNIUM_HOME     where the SQLite file, uploads and the generated secret key live (default ./var)
MILLENNIUM_DATA_DIR where source data is looked for (default ../shared/data)
DATABASE_URL        e.g. postgres://postgres@127.0.0.1:5432/test; SQLite in MILLENNIUM_HOME when unset
MILLENNIUM_CONTACT_EMAIL  where visitors report accessibility problems (the accessibility statement)
MILLENNIUM_EMAIL_HOST     an SMTP server for notifications and invitations; without it mail is printed to the console
MILLENNIUM_EMAIL_PORT, MILLENNIUM_EMAIL_USER, MILLENNIUM_EMAIL_PASSWORD, MILLENNIUM_EMAIL_TLS=1, MILLENNIUM_EMAIL_FROM
MILLENNIUM_SITE_URL       the public address used in links sent by e-mail (default http://127.0.0.1:8000)
MILLENNIUM_API_READ_RATE  API requests per client address (default 10000/m; "off" for none)
MILLENNIUM_API_WRITE_RATE API writes per token (default 60/m)
MILLENNIUM_PROXIES        trusted reverse proxies in front of the app (default 0: the client is REMOTE_ADDR)
"""

import os
import secrets
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
HOME = Path(os.environ.get("MILLENNIUM_HOME", "var")).resolve()
DATA_DIR = Path(os.environ.get("MILLENNIUM_DATA_DIR", "../shared/data")).resolve()


def _secret_key() -> str:
    """A key from the environment, or one generated once and kept in MILLENNIUM_HOME.

    Never a constant in the source: sessions signed with a published key could be forged.
    """
    if key := os.environ.get("MILLENNIUM_SECRET_KEY"):
        return key
    path = HOME / "secret_key"
    if not path.exists():
        HOME.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = os.environ.get("MILLENNIUM_DEBUG", "") == "1"
ALLOWED_HOSTS = os.environ.get("MILLENNIUM_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "corsheaders",
    "millennium.frameworks",
    "millennium.places",
    "millennium.statistics",
    "millennium.web",
    "millennium.practices",
    "millennium.organisations",
    "millennium.programme",
    "millennium.sources",
    "millennium.reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language comes from the URL: /en/… is English, every other path Swedish (the default, no prefix).
    "django.middleware.locale.LocaleMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into its lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "millennium.urls"

# Staff of municipalities and of the programme office sign in; passwords are hashed with argon2 (the
# memory-hard winner of the Password Hashing Competition), older hashes are upgraded at the next sign-in.
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "account"
LOGOUT_REDIRECT_URL = "home"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Login throttling (django-axes): five failed attempts for one user name from one address lock it for an hour.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Behind MILLENNIUM_PROXIES reverse proxies the client's address is the last-but-N in X-Forwarded-For (as for
# the API's rate limits); without it every sign-in would seem to come from the proxy and lock-outs hit everyone.
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("MILLENNIUM_PROXIES", "0")) or None
AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if AXES_IPWARE_PROXY_COUNT else [
    "REMOTE_ADDR"]
# A Swedish page explaining the lockout, with status 429 Too Many Requests (django-axes' default code).
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

# E-mail: notifications and invitations. Printed to the console unless an SMTP server is configured.
if os.environ.get("MILLENNIUM_EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["MILLENNIUM_EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("MILLENNIUM_EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("MILLENNIUM_EMAIL_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("MILLENNIUM_EMAIL_PASSWORD", "")
    EMAIL_USE_TLS = os.environ.get("MILLENNIUM_EMAIL_TLS", "1") == "1"
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("MILLENNIUM_EMAIL_FROM", "millennium@example.org")
SITE_URL = os.environ.get("MILLENNIUM_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

WSGI_APPLICATION = "millennium.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": False,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "millennium.web.context_processors.language_links",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": HOME / "millennium.sqlite3",
            # Kept open between requests, as for PostgreSQL: opening the file and setting the pragmas per
            # request costs more than a cached page takes to serve.
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": {
                # WAL lets the site read while an import writes; IMMEDIATE avoids
                # "database is locked" when two writers start at once.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Files in MILLENNIUM_HOME, shared by every worker process, so a page is computed once per import rather than
# once per worker; pages are keyed by the data version (web/page_cache.py), so none is ever served stale.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": HOME / "cache",
        "TIMEOUT": None,
        "OPTIONS": {"MAX_ENTRIES": 20000},
    }
}

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", "Svenska"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True

STATIC_URL = "/static/"
STATIC_ROOT = HOME / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded files (minutes of decisions, spreadsheets) live outside the static folders and are never served
# directly: a view checks who asks before it streams one.
MEDIA_ROOT = HOME / "uploads"
MAX_UPLOAD_BYTES = int(os.environ.get("MILLENNIUM_MAX_UPLOAD_MB", "10")) * 1024 * 1024

# The API's read endpoints may be called from any web page (open data); nothing that writes is reachable
# cross-origin: only GET, HEAD and OPTIONS are allowed, so a browser refuses a cross-site POST's preflight.
CORS_URLS_REGEX = r"^/api/v1/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_CREDENTIALS = False
# API rate limits (millennium/api/throttles.py). The client address is REMOTE_ADDR unless proxies are trusted:
# otherwise anyone could dodge the limit with a made-up X-Forwarded-For.
API_READ_RATE = os.environ.get("MILLENNIUM_API_READ_RATE", "10000/m")
API_WRITE_RATE = os.environ.get("MILLENNIUM_API_WRITE_RATE", "60/m")
NINJA_NUM_PROXIES = int(os.environ.get("MILLENNIUM_PROXIES", "0"))

# The accessibility statement's contact (lag 2018:1937 requires a way to report problems). example.org is
# reserved for examples: a site in production sets its own address.
CONTACT_EMAIL = os.environ.get("MILLENNIUM_CONTACT_EMAIL", "tillganglighet@example.org")

SECURE_CONTENT_TYPE_NOSNIFF = True
# A site served over https (SITE_URL) sends its session and CSRF cookies only over https and asks browsers to
# stay on https; behind a TLS-terminating proxy, X-Forwarded-Proto says the request was secure.
if SITE_URL.startswith("https://"):
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 31536000
    if int(os.environ.get("MILLENNIUM_PROXIES", "0")):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"
