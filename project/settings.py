"""Settings of the example project."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from psycopg.conninfo import conninfo_to_dict

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "schemakit-example-not-secret")
DEBUG = os.environ.get("DJANGO_DEBUG", "1") == "1"
ALLOWED_HOSTS = ["localhost", "127.0.0.1", "testserver"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "schemakit",
    "django_extensions",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
ROOT_URLCONF = "project.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]
WSGI_APPLICATION = "project.wsgi.application"


def database_from_url(url: str) -> dict:
    """DATABASES entry for DATABASE_URL: a postgresql:// URL (dj-database-url keeps ?sslmode= and other
    options in OPTIONS), or a libpq "key=value" string (parsed by psycopg)."""
    if "://" in url:
        return dj_database_url.parse(url, conn_max_age=0)
    p = conninfo_to_dict(url)
    options = {k: v for k, v in p.items() if k not in ("dbname", "user", "password", "host", "port")}
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": p.get("dbname", "postgres"),
        "USER": p.get("user", ""),
        "PASSWORD": p.get("password", ""),
        "HOST": p.get("host", ""),
        "PORT": p.get("port", ""),
        "OPTIONS": options,
    }


if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": database_from_url(os.environ["DATABASE_URL"])}
else:
    # the embedded server: started on the first connection, data in .pgdata/, left running for the next command
    DATABASES = {
        "default": {
            "ENGINE": "schemakit.backends.embedded",
            "NAME": "postgres",
            "PGDATA": os.environ.get("SCHEMAKIT_PGDATA", str(BASE_DIR / ".pgdata")),
        }
    }

SCHEMAKIT = {
    "SCHEMA": os.environ.get("SCHEMAKIT_SCHEMA", "project.schema"),
    "MIGRATIONS_DIR": Path(os.environ.get("SCHEMAKIT_MIGRATIONS_DIR", BASE_DIR / "migrations")),
    "DATABASE": "default",
    "MIGRATIONS_TABLE": "schemakit_migrations",
    "IGNORE_TABLES": [],
}

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
STATIC_URL = "static/"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
