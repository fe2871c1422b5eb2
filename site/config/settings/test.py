from .base import *  # noqa: F403

SECRET_KEY = "test-only-key"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tasks run at once, inside the test (on commit, where the services enqueue them).
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
MEDIA_ROOT = BASE_DIR / "var" / "test-media"  # noqa: F405
PRIVATE_MEDIA_ROOT = BASE_DIR / "var" / "test-private"  # noqa: F405
LOGGING = {"version": 1, "disable_existing_loggers": False}
# Serve static files from the apps and static/ directly; no collectstatic needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Other tests log staff into the admin with force_login (no second factor); the tests in
# tests/casework/accounts switch it back on with the `settings` fixture. django-axes stays on.
STAFF_2FA_REQUIRED = False
# The suite runs on the embedded backend, rolled back with each test; the Elasticsearch tests
# build their own backend on a throw-away alias when ELASTICSEARCH_URL is set.
PRECEDENT_SEARCH = search_settings(None)  # noqa: F405
