"""Settings of the Social Return Monitor, read from the environment (see README: Configuratie).

Production is the default posture: DEBUG is off unless the environment says otherwise, and
`manage.py check --deploy` passes with DEBUG off and a real SECRET_KEY.
"""

from pathlib import Path

from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF

from .env import database_from_url, env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
# Absolute base for links in mails, e.g. https://www.socialreturnmonitor.nl (no trailing slash).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "pgtrigger",
    "pghistory",
    "pghistory.admin",
    "core",
    "accounts",
    "projects",
    "policy",
    "reporting",
    "notifications",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "accounts.middleware.SessionIdleMiddleware",
    # Only Dutch is offered, so every request (and every test) renders in Dutch.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Every view needs a logged-in (two-factor verified) user unless marked @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "accounts.middleware.PrivatePagesMiddleware",
    # Who changed what (user, URL) is attached to every audit row written by the triggers.
    "pghistory.middleware.HistoryMiddleware",
    # Axes last: it turns a lockout raised in authenticate() into its response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "srmonitor.urls"
WSGI_APPLICATION = "srmonitor.wsgi.application"

FORM_RENDERER = "core.forms.FormRenderer"
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
                "accounts.context_processors.portal",
            ],
        },
    },
]

DATABASES = {
    "default": {
        **database_from_url(env_str("DATABASE_URL")),
        "CONN_MAX_AGE": env_int("DATABASE_CONN_MAX_AGE", 60),
        # A connection broken by a database restart is replaced instead of failing the request.
        "CONN_HEALTH_CHECKS": True,
        "ATOMIC_REQUESTS": False,
    }
}
# Postgres' JIT compiler spends 1-2 s compiling the report and export queries it deems costly
# and saves far less than that (bench/report_exports.py); the portal's queries are not analytics.
_options: dict[str, str] = DATABASES["default"]["OPTIONS"]  # type: ignore[assignment]  # env's dict of objects
_options.setdefault("options", "-c jit=off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.EmailBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "accounts.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Activation links in the welkomstmail live 7 days (SPEC §3); links from Wachtwoord vergeten 1 day.
ACCOUNT_ACTIVATION_TIMEOUT = env_int("ACCOUNT_ACTIVATION_DAYS", 7) * 24 * 3600
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_HOURS", 24) * 3600

# Two-factor: TOTP (RFC 6238), 30 s steps, ±1 step tolerance for phone clocks that drift.
OTP_TOTP_ISSUER = "Social Return Monitor"
OTP_TOTP_THROTTLE_FACTOR = 1  # django-otp back-off: 1, 2, 4, 8 … seconds after each failure
# Hard cap on top of the back-off: after this many wrong codes in a row the account is locked.
OTP_FAILURE_LIMIT = env_int("OTP_FAILURE_LIMIT", 10)
OTP_LOCKOUT_MINUTES = env_int("OTP_LOCKOUT_MINUTES", 30)

# Password guessing: locked per account and, separately, per IP address.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 10)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 30) / 60  # hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "email"
AXES_USERNAME_CALLABLE = "accounts.backends.axes_username"
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
# Behind the TLS proxy every request comes from the proxy: the client is read from X-Forwarded-For.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "accounts.backends.client_ip"
AXES_VERBOSE = False
# No e-mail addresses in the log lines of django-axes, nor in the request data it keeps per attempt
# (the address itself is kept once, as what the lock counts on). Pinned, not left to axes' defaults.
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "email"]

# A session ends after SESSION_IDLE_MINUTES without a request. Its timer restarts at most once a minute, not with a
# write on every request (accounts.middleware.SessionIdleMiddleware); it runs that minute longer, so never ends sooner.
SESSION_IDLE_SECONDS = env_int("SESSION_IDLE_MINUTES", 30) * 60
SESSION_TIMER_RESTART_SECONDS = 60
SESSION_COOKIE_AGE = SESSION_IDLE_SECONDS + SESSION_TIMER_RESTART_SECONDS
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_COOKIE_HTTPONLY = True

# Transport and browser security (OWASP ASVS L2). HTTPS is terminated in front of the app.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# The healthcheck is called over plain HTTP inside the container network.
SECURE_REDIRECT_EXEMPT = [r"^gezond/$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

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

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", "Nederlands")]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["srmonitor.formats"]
LOCALE_PATHS = [BASE_DIR / "locale"]

# Collected, hashed and compressed static files in production; served from the source folders otherwise.
STATIC_MANIFEST = env_bool("STATIC_MANIFEST", not DEBUG)
WHITENOISE_USE_FINDERS = WHITENOISE_AUTOREFRESH = not STATIC_MANIFEST
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if STATIC_MANIFEST
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))

EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.filebased.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(BASE_DIR / ".local" / "mail"))
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Social Return Monitor <noreply@socialreturnmonitor.nl>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

REDIS_URL = env_str("REDIS_URL", "redis://127.0.0.1:6379/0")
CELERY_BROKER_URL = REDIS_URL
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A save must never wait for a broker that is down: fail fast, the outbox sweep sends later.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 5}
CELERY_TASK_PUBLISH_RETRY = False
# Celery 6's behaviour now: a task whose broker connection is lost is cancelled, not run twice.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
# One static schedule; exactly one beat process runs it (see README).
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    # SR actueel is the value accrued up to today, so it grows overnight; lists sort on it.
    "refresh-project-values": {"task": "projects.tasks.refresh_project_values", "schedule": crontab(hour=1, minute=15)},
    # Kwartaalherinneringen and end-of-project signals: sends whatever became due since the last
    # run, so a day missed (beat down) is caught up the next day; the outbox keys prevent doubles.
    "daily-schedule": {"task": "projects.tasks.daily_schedule", "schedule": crontab(hour=6, minute=30)},
    # Exported files hold personal data: they are removed after a day.
    "cleanup-exports": {"task": "reporting.tasks.cleanup_exports", "schedule": crontab(hour=3, minute=0)},
    # Uploaded invulbestanden hold kandidaten's data: a check is kept INVULBESTAND_KEEP_DAYS, then removed.
    "cleanup-invulbestanden": {
        "task": "projects.tasks.cleanup_invulbestanden",
        "schedule": crontab(hour=3, minute=15),
    },
    # A policy workbook that was uploaded but never published is removed after POLICY_UPLOAD_KEEP_DAYS.
    "cleanup-policy-uploads": {"task": "policy.tasks.cleanup_policy_uploads", "schedule": crontab(hour=3, minute=20)},
    # A region workbook checked but never imported is emptied after REGION_IMPORT_KEEP_DAYS (it holds personal data).
    "cleanup-region-imports": {
        "task": "reporting.tasks.cleanup_region_imports",
        "schedule": crontab(hour=3, minute=25),
    },
    # A large invulbestand's check or commit whose worker died is handed to Celery again.
    "resume-invulbestanden": {"task": "projects.tasks.resume_invulbestanden", "schedule": crontab(minute="*/5")},
    # Mails saved while Redis or the worker was down, and retries after SMTP errors.
    "sweep-outbox": {"task": "notifications.tasks.sweep_outbox", "schedule": crontab(minute="*/5")},
    # AVG: kandidaten of projects afgerond more than RETENTION_YEARS ago are pseudonymised. Weekly,
    # Sunday night: nothing is due by the day, and a missed week is caught up by the next run.
    "pseudonymise-kandidaten": {
        "task": "projects.tasks.pseudonymise_kandidaten",
        "schedule": crontab(hour=3, minute=30, day_of_week="sunday"),
    },
}
# Kandidaten are kept this long after the last of their projects is afgerond, then pseudonymised.
RETENTION_YEARS = env_int("RETENTION_YEARS", 7)
# An uploaded invulbestand (and what its check found) is removed this many days after the upload.
INVULBESTAND_KEEP_DAYS = env_int("INVULBESTAND_KEEP_DAYS", 7)
# An uploaded policy workbook that was not published is removed this many days after the upload; a published
# one stays, as the record of where a version came from.
POLICY_UPLOAD_KEEP_DAYS = env_int("POLICY_UPLOAD_KEEP_DAYS", 30)
REGION_IMPORT_KEEP_DAYS = env_int("REGION_IMPORT_KEEP_DAYS", 30)
# An invulbestand of more rows is checked and added by Celery, with a page that follows it (issue #30).
INVULBESTAND_IN_REQUEST_ROWS = env_int("INVULBESTAND_IN_REQUEST_ROWS", 500)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.security": {"level": "INFO"},
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

CSRF_FAILURE_VIEW = "accounts.views.errors.csrf_failure"
# Documents on a project: PDF only, at most 1 MB (SPEC §4).
DOCUMENT_MAX_BYTES = 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# Exports with more rows than this are built by Celery instead of in the request (SPEC §7).
EXPORT_SYNC_MAX_ROWS = env_int("EXPORT_SYNC_MAX_ROWS", 20_000)
# The dashboards aggregate over whole regions: each user's figures are kept this long.
DASHBOARD_CACHE_SECONDS = env_int("DASHBOARD_CACHE_SECONDS", 300)
