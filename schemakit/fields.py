"""Model fields for PostgreSQL types Django has no field for; the models db_models writes use them."""

from __future__ import annotations

import decimal

from django.db import models


class NumericField(models.DecimalField):
    """An unconstrained `numeric` column: any precision and scale, values kept as they are."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("max_digits", None)
        kwargs.setdefault("decimal_places", None)
        super().__init__(*args, **kwargs)

    def _check_decimal_places(self):
        return []

    def _check_max_digits(self):
        return []

    def _check_decimal_places_and_max_digits(self, **kwargs):
        return []

    def get_db_converters(self, connection):
        return models.Field.get_db_converters(self, connection)

    def to_python(self, value):
        if value is None or isinstance(value, decimal.Decimal):
            return value
        try:
            return decimal.Decimal(str(value))
        except decimal.InvalidOperation:
            return super().to_python(value)

    def db_type(self, connection) -> str:
        return "numeric"


class JSONTextField(models.JSONField):
    """A `json` (not `jsonb`) column: psycopg hands back Python values already decoded."""

    def from_db_value(self, value, expression, connection):
        if value is None or not isinstance(value, str):
            return value
        return super().from_db_value(value, expression, connection)

    def db_type(self, connection) -> str:
        return "json"
