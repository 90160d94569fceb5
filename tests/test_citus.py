"""db_check's Citus rules on SQL text, read by PostgreSQL's parser (no Citus server here)."""

from __future__ import annotations

import pytest

from schemakit.history.citus import citus_findings

LAYOUT = {"distributed": {"public.orders": "tenant_id", "items": "tenant_id"}, "reference": ["public.countries"]}


@pytest.mark.parametrize("sql, rules", [
    pytest.param('CREATE TABLE "orders" ("id" bigint PRIMARY KEY, "tenant_id" bigint);',
                 ["citus-unique-without-distribution-column"], id="pk-without-column"),
    pytest.param('CREATE TABLE "public"."orders" ("id" bigint, "tenant_id" bigint, PRIMARY KEY ("tenant_id", "id"));',
                 [], id="pk-with-column"),
    pytest.param('ALTER TABLE "orders" ADD CONSTRAINT "u" UNIQUE ("code");',
                 ["citus-unique-without-distribution-column"], id="alter-unique"),
    pytest.param('CREATE UNIQUE INDEX "i" ON "items" ("sku");', ["citus-unique-without-distribution-column"],
                 id="unique-index"),
    pytest.param('CREATE UNIQUE INDEX "i" ON "items" ("tenant_id", "sku");', [], id="unique-index-with-column"),
    pytest.param('ALTER TABLE "orders" ADD CONSTRAINT "f" FOREIGN KEY ("user_id") REFERENCES "users" ("id");',
                 ["citus-foreign-key-to-local-table"], id="fk-to-local"),
    pytest.param('ALTER TABLE "orders" ADD CONSTRAINT "f" FOREIGN KEY ("c") REFERENCES "countries" ("id");',
                 [], id="fk-to-reference"),
    pytest.param('CREATE TABLE "users" ("id" bigint PRIMARY KEY, "org" bigint REFERENCES "orgs" ("id"));',
                 [], id="local-table-is-free"),
    pytest.param('CREATE INDEX CONCURRENTLY "i" ON "users" ("id");', ["citus-concurrently-in-transaction"],
                 id="concurrently-in-transaction"),
    pytest.param("SELECT create_distributed_table_concurrently('orders', 'tenant_id');",
                 ["citus-concurrently-in-transaction"], id="distribute-concurrently-in-transaction"),
])
def test_citus_rules(sql, rules):
    assert [f.rule for f in citus_findings("0001_x.sql", sql, LAYOUT)] == rules


def test_no_transaction_file_may_distribute_concurrently():
    text = "-- schemakit:no-transaction\nSELECT create_distributed_table_concurrently('orders', 'tenant_id');\n"
    assert citus_findings("0001_x.sql", text, LAYOUT) == []
