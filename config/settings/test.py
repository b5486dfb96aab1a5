"""Test settings: the base settings with fast hashing and an isolated cache and broker."""

import os
import uuid

from config.settings.base import *  # noqa: F403
from config.settings.base import REDIS_URL, VAR_DIR

# Tests change providers between steps and expect the next job to see it at once.
FUSION_PROVIDER_CACHE_SECONDS = 0

# Hashing cost is not what the tests exercise.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# A key prefix per run keeps parallel runs (and a developer's `make run`) apart. Worker
# subprocesses started by the engine's integration tests inherit it through the env.
_RUN = os.environ.get("FUSION_TEST_RUN", uuid.uuid4().hex[:8])
FUSION_TEST_RUN = _RUN
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    # A file, not memory, so a Celery worker subprocess can open the same test database.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{_RUN}.sqlite3")}  # noqa: F405
if REDIS_URL:
    # Queues of this run only: leftovers of an earlier run never reach this run's workers.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        **CELERY_BROKER_TRANSPORT_OPTIONS,  # noqa: F405
        "global_keyprefix": f"fusion-test-{_RUN}:",
    }
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"fusion-test-{_RUN}",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    (VAR_DIR / f"test-broker-{_RUN}" / "control").mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(VAR_DIR / f"test-broker-{_RUN}"),
        "data_folder_out": str(VAR_DIR / f"test-broker-{_RUN}"),
        "control_folder": str(VAR_DIR / f"test-broker-{_RUN}" / "control"),
        "store_processed": False,
    }
STORAGES = {  # no manifest needed in tests
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
