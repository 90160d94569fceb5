"""Test settings: the example project's, on a throwaway embedded server unless DATABASE_URL is set."""

import os
import tempfile

from project.settings import *  # noqa: F403

if not os.environ.get("DATABASE_URL"):
    # one server per test session; child processes (concurrency tests) inherit the folder
    if "SCHEMAKIT_TEST_PGDATA" not in os.environ:
        os.environ["SCHEMAKIT_TEST_PGDATA"] = tempfile.mkdtemp(prefix="schemakit-test-") + "/data"
        os.environ["SCHEMAKIT_TEST_OWNER"] = str(os.getpid())
    DATABASES = {
        "default": {
            "ENGINE": "schemakit.backends.embedded",
            "NAME": "postgres",
            "PGDATA": os.environ["SCHEMAKIT_TEST_PGDATA"],
            # the process that made the folder deletes it at exit; children leave it alone
            "EMBEDDED_CLEANUP": "delete" if os.environ.get("SCHEMAKIT_TEST_OWNER") == str(os.getpid()) else None,
        }
    }

os.environ.setdefault("SCHEMAKIT_CACHE_DIR", tempfile.mkdtemp(prefix="schemakit-test-cache-"))
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast logins in admin tests
# this suite makes its own databases per test; the test database Django creates stays empty of the example schema
SCHEMAKIT = {**SCHEMAKIT, "TEST_DATABASE": None}  # noqa: F405
