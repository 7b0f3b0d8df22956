"""Settings for Shanglian, read from the environment.

SHANGLIAN_ENV=production turns on the production profile (HTTPS only, secure cookies, HSTS, keys
required from the environment). Anything else is the development/demo profile, which keeps its
generated secrets in var/ so that `make run` can be repeated safely.
"""

import base64
import json
import os
import secrets
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("SHANGLIAN_VAR_DIR", BASE_DIR / "var"))
if os.environ.get("PYTEST_XDIST_WORKER"):  # each worker of a parallel test run: its own secrets, media, queue
    VAR_DIR = VAR_DIR / os.environ["PYTEST_XDIST_WORKER"]
    VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PRODUCTION = os.environ.get("SHANGLIAN_ENV", "development") == "production"
DEBUG = env_bool("DEBUG", default=False)
# Demo mode creates the demo logins and allows the demo sysadmin to skip TOTP. Never in production.
DEMO = env_bool("SHANGLIAN_DEMO", default=False) and not PRODUCTION
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("生产环境不得开启 DEBUG。")


def _dev_secrets():
    """Secrets for development and demo: generated once into var/, never committed."""
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    path = VAR_DIR / "dev-secrets.json"
    generators = {
        "SECRET_KEY": lambda: secrets.token_urlsafe(50),
        "FIELD_KEYS": lambda: "k1=" + base64.b64encode(secrets.token_bytes(32)).decode(),
        "BLIND_INDEX_KEY": lambda: base64.b64encode(secrets.token_bytes(32)).decode(),
        "AUDIT_CHAIN_KEY": lambda: base64.b64encode(secrets.token_bytes(32)).decode(),
    }
    data = json.loads(path.read_text()) if path.exists() else {}
    if set(generators) <= set(data):
        return data
    # A key added after the file was made (e.g. AUDIT_CHAIN_KEY) is generated once and kept.
    data.update({name: make() for name, make in generators.items() if name not in data})
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data))
    tmp.chmod(0o600)
    tmp.replace(path)
    return data


if PRODUCTION:
    _missing = [
        name
        for name in ("SECRET_KEY", "SHANGLIAN_FIELD_KEYS", "SHANGLIAN_BLIND_INDEX_KEY", "SHANGLIAN_AUDIT_CHAIN_KEY")
        if not os.environ.get(name)
    ]
    if _missing:
        raise ImproperlyConfigured("生产环境缺少必需的环境变量：" + "、".join(_missing))
    _secrets = {}
else:
    _secrets = _dev_secrets()

SECRET_KEY = os.environ.get("SECRET_KEY") or _secrets["SECRET_KEY"]


def _parse_field_keys(raw):
    """`kid=base64key,kid2=base64key`: the first key encrypts, all of them decrypt."""
    keys = {}
    for part in raw.split(","):
        part = part.strip()
        if not part:
            continue
        kid, _, b64 = part.partition("=")
        key = base64.b64decode(b64)
        if len(key) != 32 or not kid:
            raise ImproperlyConfigured("SHANGLIAN_FIELD_KEYS 格式错误：应为 kid=base64(32 字节密钥)。")
        keys[kid] = key
    if not keys:
        raise ImproperlyConfigured("SHANGLIAN_FIELD_KEYS 为空。")
    return keys


SHANGLIAN_FIELD_KEYS = _parse_field_keys(os.environ.get("SHANGLIAN_FIELD_KEYS") or _secrets["FIELD_KEYS"])
SHANGLIAN_FIELD_KEY_ID = next(iter(SHANGLIAN_FIELD_KEYS))
SHANGLIAN_BLIND_INDEX_KEY = base64.b64decode(
    os.environ.get("SHANGLIAN_BLIND_INDEX_KEY") or _secrets["BLIND_INDEX_KEY"]
)
if len(SHANGLIAN_BLIND_INDEX_KEY) < 32:
    raise ImproperlyConfigured("SHANGLIAN_BLIND_INDEX_KEY 至少 32 字节。")
# The audit hash chain is an HMAC under this key (kept outside the database), and the signed checkpoints
# of its head live in AUDIT_CHECKPOINT_FILE, also outside the database (see docs/security.md).
SHANGLIAN_AUDIT_CHAIN_KEY = base64.b64decode(
    os.environ.get("SHANGLIAN_AUDIT_CHAIN_KEY") or _secrets["AUDIT_CHAIN_KEY"]
)
if len(SHANGLIAN_AUDIT_CHAIN_KEY) < 32:
    raise ImproperlyConfigured("SHANGLIAN_AUDIT_CHAIN_KEY 至少 32 字节。")
AUDIT_CHECKPOINT_FILE = Path(os.environ.get("SHANGLIAN_AUDIT_CHECKPOINT_FILE", VAR_DIR / "audit-checkpoint.json"))

# Key of `manage.py backup` / `restore` (base64 of 32 bytes): needed by those commands only, so a
# missing key never stops the site; see shanglian/common/backup.py.
SHANGLIAN_BACKUP_KEY = os.environ.get("SHANGLIAN_BACKUP_KEY", "")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if not PRODUCTION else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "shanglian.admin_site.ShanglianAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_filters",
    "rest_framework",
    "axes",
    "django_otp",
    "shanglian.common",
    "shanglian.audit",
    "shanglian.accounts",
    "shanglian.ui",
    # The apps' 待办 and panels show on the 工作台 in this order; the workbench's own (account security)
    # come first.
    "shanglian.workbench",
    "shanglian.imports",
    "shanglian.orgs",
    "shanglian.demo",
    "shanglian.members",
    "shanglian.notifications",
    "shanglian.auditlog",
    "shanglian.appeals",
    "shanglian.policies",
    "shanglian.events",
    "shanglian.engagement",
    "shanglian.welfare",
    "shanglian.honours",
    "shanglian.growth",
    "shanglian.communications",
    "shanglian.reports",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "huey.contrib.djhuey",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "shanglian.audit.middleware.RequestContextMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "shanglian.accounts.middleware.SessionTimeoutMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "shanglian.accounts.middleware.SecondFactorMiddleware",
    "shanglian.accounts.middleware.PasswordExpiryMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "shanglian.urls"
WSGI_APPLICATION = "shanglian.wsgi.application"

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
                "csp.context_processors.nonce",
                "shanglian.workbench.context_processors.shell",
            ],
        },
    },
]

# --- Database: SQLite (WAL) by default, PostgreSQL when DATABASE_URL is set -------------------------
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and os.environ.get("DB_JIT_OFF", "1") == "1":
    # No JIT compilation: a page's query that the planner costs past jit_above_cost (a department's search, a
    # chamber's statistics at a million appeals) spent 50–100 ms compiling to save a few (issue 19). Sent as a
    # startup option, which PgBouncer refuses: behind it set DB_JIT_OFF=0 and `ALTER DATABASE … SET jit = off`.
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = f"{_options.get('options', '')} -c jit=off".strip()

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
    }

# --- Authentication and passwords (等保 profile; every value is a setting) -----------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Enterprise users: mobile + SMS code (accounts/sms_login.py); after axes, so the lockout applies.
    "shanglian.accounts.backends.SmsCodeBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
PASSWORD_MIN_LENGTH = int(os.environ.get("PASSWORD_MIN_LENGTH", "8"))
PASSWORD_MIN_CLASSES = 3
PASSWORD_MAX_AGE_DAYS = int(os.environ.get("PASSWORD_MAX_AGE_DAYS", "90"))
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": PASSWORD_MIN_LENGTH},
    },
    {"NAME": "shanglian.accounts.passwords.CharacterClassValidator"},
    {"NAME": "shanglian.accounts.passwords.MaximumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "shanglian.accounts.passwords.PasswordHistoryValidator"},
]
# No reuse of the current password nor of the ones before it: this many in all (accounts.PasswordHistory).
PASSWORD_HISTORY_COUNT = int(os.environ.get("PASSWORD_HISTORY_COUNT", "5"))
# Re-entering one's password (the PII reveal, the old password of 修改密码): this many failures within
# REAUTH_WINDOW refuse even the right password until the window has passed; each failure is audited.
REAUTH_FAILURE_LIMIT = int(os.environ.get("REAUTH_FAILURE_LIMIT", "5"))
REAUTH_WINDOW = timedelta(minutes=int(os.environ.get("REAUTH_WINDOW_MINUTES", "15")))
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "workbench:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# django-axes: 5 consecutive failures lock the username from that address for 15 minutes.
AXES_ENABLED = env_bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "shanglian.accounts.views.locked_out"
AXES_USERNAME_FORM_FIELD = "username"
# Usernames are case-insensitive: failures are counted under the lower-cased name (one lockout per account).
AXES_USERNAME_CALLABLE = "shanglian.accounts.backends.axes_username"
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0")) or None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if AXES_IPWARE_PROXY_COUNT else ["REMOTE_ADDR"]
)
AXES_VERBOSE = False
# Starred in the request data axes keeps of a failed attempt (the SMS form's mobile and code too).
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "mobile", "code"]

# SMS sign-in of enterprise users: a code lives 5 minutes and allows 5 wrong tries; one sending per mobile
# per 60 s, 10 per mobile per day, 20 per IP per hour. The counters are in the cache: set REDIS_URL when
# more than one process serves (the local-memory cache counts per process).
SMS_LOGIN_CODE_TTL = int(os.environ.get("SMS_LOGIN_CODE_TTL", "300"))
SMS_LOGIN_CODE_MAX_ATTEMPTS = 5
SMS_LOGIN_RESEND_SECONDS = int(os.environ.get("SMS_LOGIN_RESEND_SECONDS", "60"))
SMS_LOGIN_DAILY_LIMIT = int(os.environ.get("SMS_LOGIN_DAILY_LIMIT", "10"))
SMS_LOGIN_IP_HOURLY_LIMIT = int(os.environ.get("SMS_LOGIN_IP_HOURLY_LIMIT", "20"))

# /admin shows the lockout records as accounts.LoginLockout (in Chinese, unlocking audited); axes's own
# access logs are audit data, which the sysadmin does not read (三员分立): the audit log has the logins.
AXES_ENABLE_ADMIN = False

# Sessions: 30 minutes idle, 12 hours absolute (enforced in SessionTimeoutMiddleware).
SESSION_IDLE_TIMEOUT = int(os.environ.get("SESSION_IDLE_MINUTES", "30")) * 60
SESSION_ABSOLUTE_TIMEOUT = 12 * 3600
# The idle limit is enforced (and the row deleted) by SessionTimeoutMiddleware; the row itself lives
# at most the absolute limit.
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# Second factor: required for these roles (Role values of accounts/roles.py, which a settings module cannot
# import; accounts/tests/test_second_factor.py checks them); available to every back-office role.
OTP_REQUIRED_ROLES = ["sysadmin", "auditor"]
OTP_TOTP_ISSUER = "商联通"
# In demo mode only, the demo sysadmin and auditor may log in without TOTP (the README says so).
OTP_DEMO_EXEMPT_USERNAMES = ["admin", "auditor"] if DEMO else []

AUDIT_RETENTION_DAYS = max(183, int(os.environ.get("AUDIT_RETENTION_DAYS", "183")))
AUDIT_PII_RETENTION_DAYS = max(AUDIT_RETENTION_DAYS, int(os.environ.get("AUDIT_PII_RETENTION_DAYS", "1095")))

# --- Internationalisation ------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
# Our own translations first: what Django's zh_Hans catalogue lacks (the admin's newer strings) and
# the third-party strings shown in /admin (django-axes has no zh_Hans). Edit the .po, then `make messages`.
LOCALE_PATHS = [BASE_DIR / "shanglian" / "locale"]
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static files --------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"

# --- Security headers ----------------------------------------------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
from csp.constants import NONCE, NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# The load balancer's probe reaches an app server over plain HTTP on loopback (docs/deploy.md).
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"

# --- REST API ------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    # Token first: an anonymous call gets 401 with `WWW-Authenticate: Token`. A session-authenticated
    # call has its CSRF token checked by SessionAuthentication (ASVS 13.2.3).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "shanglian.accounts.api_auth.IntegrationTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["shanglian.common.renderers.NoStoreJSONRenderer"],  # JSON, no-store
    # JSON only: any other request body is refused with 415 (ASVS 13.1.5).
    "DEFAULT_PARSER_CLASSES": ["shanglian.common.parsers.SafeJSONParser"],  # JSON; too deep a nesting → 400
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # One mapping of the services' refusals: Refused → 409, ValidationError → 400 (Chinese `detail`).
    "EXCEPTION_HANDLER": "shanglian.common.api.exception_handler",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "商联通 API",
    "DESCRIPTION": "区工商联工作平台的 REST API：会员、诉求办理。与页面相同的权限和数据范围。",
    "VERSION": "1",
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {"AppealStatusEnum": "shanglian.appeals.models.Status",
                            "ProposalStatusEnum": "shanglian.engagement.models.Proposal.Status",
                            "WelfareDonorKindEnum": "shanglian.welfare.models.Donation.DonorKind",
                            "WelfarePairingKindEnum": "shanglian.welfare.models.Pairing.Kind",
                            "HonourProgrammeStatusEnum": "shanglian.honours.models.Programme.Status",
                            "HonourAssessmentSchemeEnum": "shanglian.honours.models.Assessment.Scheme",
                            "HonourAssessmentStatusEnum": "shanglian.honours.models.Assessment.Status",
                            "HonourAssessmentItemStatusEnum": "shanglian.honours.models.AssessmentItem.Status",
                            "MemberKindEnum": "shanglian.members.models.Membership.Kind",
                            "GrowthProspectStageEnum": "shanglian.growth.models.Prospect.Stage",
                            "GrowthApplicationStatusEnum": "shanglian.growth.models.MembershipApplication.Status",
                            "GrowthPostCategoryEnum": "shanglian.growth.models.Post.Category",
                            "GrowthPostStatusEnum": "shanglian.growth.models.Post.Status",
                            "GrowthOutcomeKindEnum": "shanglian.growth.models.MatchOutcome.Kind",
                            "ReportsDirectionEnum": "shanglian.reports.api.DIRECTIONS"},
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "shanglian.common.api.document_common_errors",
    ],
    # Swagger UI at /api/docs/ from the vendored drf-spectacular-sidecar assets (no CDN: CSP 'self').
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
}

# --- Background work (Huey): SQLite storage by default, Redis when REDIS_URL is set; immediate
# (run in-process, in memory) under pytest or with HUEY_IMMEDIATE=1. ---------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
TESTING = "pytest" in sys.modules
HUEY = {
    "name": "shanglian",
    "immediate": env_bool("HUEY_IMMEDIATE", default=TESTING),
    "utc": True,
}
if REDIS_URL:
    HUEY.update({"huey_class": "huey.RedisHuey", "connection": {"url": REDIS_URL}})
else:
    HUEY.update({"huey_class": "huey.SqliteHuey", "filename": str(VAR_DIR / "huey.sqlite3")})

# --- Kept boards (reports.boards): a 领导驾驶舱 whose figures took longer than this to compute (a city's, a
# province's) is served from its last computation, recomputed in the background once older than the age below. Under
# pytest no board is kept unless a test asks (a board's time must not decide what a test sees). ---
SHANGLIAN_BOARD_LIVE_SECONDS = float(os.environ.get("SHANGLIAN_BOARD_LIVE_SECONDS", "1e9" if TESTING else "2"))
SHANGLIAN_BOARD_MAX_AGE_MINUTES = int(os.environ.get("SHANGLIAN_BOARD_MAX_AGE_MINUTES", "10"))

# --- Notifications: the in-app inbox always; SMS through this backend (dotted path). -------------------
SHANGLIAN_SMS_BACKEND = os.environ.get("SHANGLIAN_SMS_BACKEND", "shanglian.notifications.backends.ConsoleSmsBackend")
SHANGLIAN_SMS_FILE = os.environ.get("SHANGLIAN_SMS_FILE", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

CSRF_FAILURE_VIEW = "shanglian.workbench.views.csrf_failure"
# Imports with more valid rows than this are committed by a Huey task, with progress; exports with more
# rows than this are written by a Huey task and downloaded from the export job's page.
IMPORT_BACKGROUND_ROWS = int(os.environ.get("IMPORT_BACKGROUND_ROWS", "5000"))
EXPORT_BACKGROUND_ROWS = int(os.environ.get("EXPORT_BACKGROUND_ROWS", "20000"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
