"""Run in a subprocess: the ORM reads and writes a row of every model of one app, then prints a JSON report.

Usage: python orm_rows.py APP_LABEL  (DJANGO_SETTINGS_MODULE set). A table with rows has its first row
saved back with every field as read, and read again; an empty table gets a new row made from the field
types, read back. Any failure propagates (a traceback and a non-zero exit).
"""

from __future__ import annotations

import datetime
import decimal
import json
import sys
import uuid

import django

django.setup()

from django.apps import apps  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.postgres.fields import ArrayField  # noqa: E402
from django.db import models, transaction  # noqa: E402

SIMPLE = {
    "AutoField": None, "BigAutoField": None, "SmallAutoField": None,
    "IntegerField": 7, "BigIntegerField": 7, "SmallIntegerField": 7, "FloatField": 1.5, "BooleanField": True,
    "DecimalField": decimal.Decimal("1.25"), "TextField": "x", "CharField": "x", "UUIDField": uuid.UUID(int=5),
    "DateField": datetime.date(2020, 1, 2), "DateTimeField": datetime.datetime(2020, 1, 2, 3, 4, tzinfo=datetime.UTC),
    "TimeField": datetime.time(3, 4), "DurationField": datetime.timedelta(hours=1), "JSONField": {"a": [1, "b"]},
    "BinaryField": b"\x00\x01", "GenericIPAddressField": "10.0.0.1",
}


def value(f: models.Field, made: dict) -> object:
    if isinstance(f, models.ForeignKey):
        return made.get(f.related_model)
    if f.choices:
        return f.choices[0][0]
    if isinstance(f, ArrayField):
        return [value(f.base_field, made)]
    return SIMPLE.get(f.get_internal_type(), "x")


def order(app_models: list) -> list:
    """Models whose foreign keys point at models already placed first."""
    out: list = []
    while len(out) < len(app_models):
        for m in app_models:
            deps = {f.related_model for f in m._meta.concrete_fields if isinstance(f, models.ForeignKey)}
            if m not in out and all(d in out or d is m or d._meta.app_label != m._meta.app_label for d in deps):
                out.append(m)
    return out


def new_row(m, made: dict) -> dict:
    kwargs = {}
    for f in m._meta.concrete_fields:
        if f.primary_key and f.get_internal_type().endswith("AutoField") or isinstance(f, models.GeneratedField):
            continue
        if f.has_db_default() and not (f.primary_key or f.name in _pk_names(m)):
            continue
        v = value(f, made)
        if v is None and isinstance(f, models.ForeignKey):
            continue
        kwargs[f.name] = v
    obj = m.objects.create(**kwargs)
    got = m.objects.get(pk=obj.pk)
    for k, v in kwargs.items():
        back = getattr(got, k)
        if isinstance(back, datetime.time):  # a `time with time zone` column adds the session's zone
            back = back.replace(tzinfo=None)
        assert back == v, (m.__name__, k, back, v)
    return {"inserted": 1, "pk": str(got.pk)}


def _pk_names(m) -> set[str]:
    return {f.name for f in m._meta.pk_fields}


def save_first(m) -> dict:
    rows = list(m.objects.all())
    first = rows[0]
    before = {f.attname: getattr(first, f.attname) for f in m._meta.concrete_fields}
    first.save()
    again = m.objects.get(pk=first.pk)
    for k, v in before.items():
        assert getattr(again, k) == v, (m.__name__, k, getattr(again, k), v)
    return {"read": len(rows), "saved": 1}


def main(label: str) -> None:
    report = {}
    made: dict = {}
    user_model = get_user_model()
    with transaction.atomic():
        made[user_model] = user_model.objects.create(username=f"u{uuid.uuid4().hex[:8]}")
        for m in order(list(apps.get_app_config(label).get_models())):
            if m.objects.exists():
                report[m.__name__] = save_first(m)
                made[m] = m.objects.first()
            else:
                report[m.__name__] = new_row(m, made)
                made[m] = m.objects.first()
        transaction.set_rollback(sys.argv[2:] != ["--commit"])
    print(json.dumps(report, sort_keys=True))


if __name__ == "__main__":
    main(sys.argv[1])
