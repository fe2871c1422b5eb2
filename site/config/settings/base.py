"""Settings shared by every environment. Integrations switch on with one env var each."""

import os
from datetime import timedelta
from pathlib import Path

from .integrations import cache_settings, database_settings, email_settings, search_settings

BASE_DIR = Path(__file__).resolve().parents[3]

SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h]

INSTALLED_APPS = [
    "cms_pages",
    "casework",
    "search",
    "casework.accounts",
    "casework.enrollment",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "django_fsm",
    "django_tasks",
    "django_tasks_db",
    "modelcluster",
    "taggit",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
]

MIDDLEWARE = [
    # First, so that even a cached page is only ever served over HTTPS (SECURE_SSL_REDIRECT)
    # and with the security headers.
    "django.middleware.security.SecurityMiddleware",
    # Then the public page cache, so a cached page skips everything below it.
    "cms_pages.cache.PublicPageCacheMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): has this session passed a second factor (TOTP)?
    "django_otp.middleware.OTPMiddleware",
    # Staff are sent to /accounts/2fa/ before /admin/ and /django-admin/ (STAFF_2FA_REQUIRED).
    "casework.accounts.middleware.StaffTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes requires: turns a locked-out login attempt into the lockout page.
    "axes.middleware.AxesMiddleware",
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
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

DATABASES = database_settings(
    os.environ.get("DATABASE_URL"), default_sqlite=BASE_DIR / "db.sqlite3"
)
CACHES = cache_settings(os.environ.get("REDIS_URL"))
# Precedent search (search.backends): the database backend unless ELASTICSEARCH_URL is set.
PRECEDENT_SEARCH = search_settings(os.environ.get("ELASTICSEARCH_URL"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Login: axes refuses locked-out attempts first; then email address (members) or username (staff).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "casework.accounts.backends.EmailOrUsernameBackend",
]
LOGIN_URL = "/accounts/login/"
# Members land on マイページ; staff (casework.accounts.permissions.is_staff_user) on /admin/.
LOGIN_REDIRECT_URL = "/mypage/"
# Password-reset links are valid for one day (the email says so).
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24

# django-axes: 5 failed logins for one account, from whatever addresses, lock the account for
# 15 minutes (templates/accounts/locked_out.html says 15分: change both together); attempts during
# the lock extend it. Counting per account rather than per (account, address) stops a guesser who
# rotates addresses; axes has one limit for every lockout parameter, so a (username, ip_address)
# counter beside it could never lock first. Anyone locked out of their own account lifts the lock
# by resetting their password. A success resets the count. Failures are stored in the database.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username"]
# axes.W006 asks for ip_address among the parameters, lest rotating User-Agents or cookies dodge
# the count; the account is counted here, which neither changes.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
# The username or email address typed, in any case, counts against one key per account.
AXES_USERNAME_CALLABLE = "casework.accounts.lockout.lockout_username"
# The client address is REMOTE_ADDR only; production.py trusts X-Forwarded-For from its proxy.
AXES_IPWARE_META_PRECEDENCE_ORDER = ("REMOTE_ADDR",)

# Rate limits on public forms (casework/accounts/throttling.py): at most (POSTs, seconds) per
# client address (as axes reads it), fixed windows counted in the cache; GETs never count.
# 資料請求: one request and a few corrections, from a clinic's shared address. /join/: one
# application takes 5 POSTs and typically about 10 with corrections; a corporation applies
# once per clinic, so 60 covers several applications in one sitting. Password reset: each request
# emails the account, so 5 (a few mistyped addresses); setting the new password has its own
# count so that the person who asked for the link is never refused on the last step.
# Invitations of colleagues (マイページ → スタッフ管理) are counted per facility, not per address:
# enough for a clinic to invite its whole staff in an hour, too few to use the association's mail
# server for mass mailing.
RATE_LIMITS = {
    "request_form": (10, 60 * 60),
    "enrollment": (60, 60 * 60),
    "password_reset": (5, 60 * 60),
    "password_reset_confirm": (10, 60 * 60),
    "member_invitation": (30, 60 * 60),
}
# One password reset for everyone, the rate-limited one at /accounts/password-reset/ (which also
# lifts a login lock); Wagtail's own at /admin/password_reset/ would be a second, unlimited one.
WAGTAIL_PASSWORD_RESET_ENABLED = False

# Two-factor authentication (django-otp): staff need a TOTP code before the admin sites.
# Switched off in test.py for the rest of the suite; tests/casework/accounts switch it on.
STAFF_2FA_REQUIRED = True
OTP_TOTP_ISSUER = "日本美容医療リスクマネジメント協会"
# Wrong codes are throttled: after n failures the device waits 2^(n-1) seconds (1, 2, 4, …).
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
# Device secrets are never shown in the Django admin.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", "日本語")]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
# The project's own translations of the Wagtail and Django strings its screens show, where the
# packages' Japanese catalogues have none; first in the search order (compiled by scripts/bootstrap).
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
# Case attachments: never under MEDIA_ROOT or any URL; served only by permission-checking views.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "var" / "private"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Email backend and addresses (SMTP when EMAIL_HOST is set).
globals().update(email_settings(os.environ))

WAGTAIL_SITE_NAME = "日本美容医療リスクマネジメント協会"
# The site's public address, the one source of every absolute link (e-mails, Wagtail's own);
# production.py requires it and refuses a loopback address.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAIL_I18N_ENABLED = False
# Staff avatars are initials drawn locally: no request to gravatar.com with a hash of each e-mail.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# One language and one time zone: the account page offers no switch to English or off Asia/Tokyo.
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAIL_USER_TIME_ZONES = [TIME_ZONE]
# No request from staff browsers to releases.wagtail.io, and no "new in Wagtail" badge on ヘルプ.
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILDOCS_EXTENSIONS = ["pdf"]

# Anonymous public pages are cached for this long at most; publishing purges them at once.
PUBLIC_PAGE_CACHE_SECONDS = int(os.environ.get("PUBLIC_PAGE_CACHE_SECONDS", 600))

# Where 資料請求 notifications go; the loader puts it on the form page.
ASSOCIATION_NOTIFY_EMAIL = os.environ.get("ASSOCIATION_NOTIFY_EMAIL", "office@amrm.example.jp")
# The office's addresses (comma-separated), told of new complaints, applications and members'
# answers, messages and uploads (casework/notifications.py); the 資料請求 address by default.
ASSOCIATION_OFFICE_EMAILS = [
    a.strip()
    for a in os.environ.get("ASSOCIATION_OFFICE_EMAILS", ASSOCIATION_NOTIFY_EMAIL).split(",")
    if a.strip()
]

# E-mails and precedent-index updates run on a task queue in the database, worked by
# `manage.py db_worker` (scripts/run starts one); casework/tasks.py retries what fails.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# A worker waiting on a mail server that does not answer holds up every task behind it: give up
# after this many seconds and let the retry try again later.
EMAIL_TIMEOUT = 30

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    # Libraries log at WARNING; the project's own apps at LOG_LEVEL (English, never patient data).
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        app: {"level": os.environ.get("LOG_LEVEL", "INFO")}
        for app in ("cms_pages", "casework", "search", "accounts")
    },
}
