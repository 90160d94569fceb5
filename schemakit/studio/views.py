"""The studio's pages: thin views over catalog, browse, session, edit and diagram."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from .. import conf
from . import browse, catalog, diagram, edit, history
from .access import EDIT_DATA, RUN_SQL, VIEW_DATA, hardened, staff
from .session import StudioError, Unreachable, alias, read_only, run_statement
from .values import as_text, show

CSS = Path(__file__).with_name("studio.css")


def _url(name: str, params: list[tuple[str, str]] | dict[str, Any] | None = None) -> str:
    base = reverse(f"schemakit_studio:{name}")
    return f"{base}?{urlencode(params, doseq=True)}" if params else base


def table_url(schema: str, name: str, params: list[tuple[str, str]] | None = None) -> str:
    return _url("table", [("s", schema), ("t", name), *(params or [])])


def _page(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    base = {"alias": alias(), "write": conf.studio_write(), "can_sql": request.user.has_perm(RUN_SQL),
            "can_edit": conf.studio_write() and request.user.has_perm(EDIT_DATA)}
    return render(request, f"schemakit/studio/{template}", {**base, **context}, status=status)


def _error(request: HttpRequest, message: str, status: int = 400) -> HttpResponse:
    return _page(request, "error.html", {"message": message}, status=status)


def _status(exc: Exception) -> int:
    return 503 if isinstance(exc, Unreachable) else 400


@hardened
@require_GET
def stylesheet(request: HttpRequest) -> HttpResponse:
    return HttpResponse(CSS.read_text(), content_type="text/css")


@staff(VIEW_DATA)
def overview(request: HttpRequest) -> HttpResponse:
    try:
        with read_only() as conn:
            relations, enums = catalog.overview(conn)
        drift = history.drift_by_table()
    except StudioError as exc:
        return _error(request, str(exc), _status(exc))
    schemas: dict[str, list[dict[str, Any]]] = {}
    for r in relations:
        r["url"] = table_url(r["schema"], r["name"])
        r["drift"] = drift.tables.get((r["schema"], r["name"]), [])
        schemas.setdefault(r["schema"], []).append(r)
    return _page(request, "overview.html", {"schemas": schemas, "enums": enums, "drift": drift})


def _relation(conn, request: HttpRequest) -> catalog.Relation:
    schema, name = request.GET.get("s", ""), request.GET.get("t", "")
    rel = catalog.relation(conn, schema, name) if schema and name else None
    if rel is None:
        raise Http404("no such table or view")
    return rel


@staff(VIEW_DATA)
def table(request: HttpRequest) -> HttpResponse:
    try:
        with read_only() as conn:
            rel = _relation(conn, request)
            q = browse.parse(rel, request.GET)
            page = browse.page(conn, rel, q)
    except browse.BadRequest as exc:
        return _error(request, str(exc))
    except StudioError as exc:
        return _error(request, str(exc), _status(exc))
    arrays = [c.category == "A" for c in rel.columns]
    rows = []
    for values, key in zip(page.rows, page.keys, strict=True):
        link = _url("row", [("s", rel.schema), ("t", rel.name), *(("k", k or "") for k in key)]) if key else None
        rows.append({"cells": [show(v, a) for v, a in zip(values, arrays, strict=True)], "link": link})
    headers = [{"c": c, "s": _sort_links(rel, q, c.name)} for c in rel.columns]
    next_url = table_url(rel.schema, rel.name, q.params(page.next_key)) if page.next_key else None
    return _page(request, "table.html", {
        "rel": rel, "q": q, "page": page, "rows": rows, "headers": headers, "next_url": next_url,
        "first_url": table_url(rel.schema, rel.name, q.params()), "ops": browse.OPS,
        "filters": q.filters or [browse.Filter("", "eq", "")],
        "new_url": _url("row_new", [("s", rel.schema), ("t", rel.name)]) if rel.editable else None,
    })


def _sort_links(rel: catalog.Relation, q: browse.Query, column: str) -> dict[str, Any]:
    ascending = browse.Query(column, False, q.filters)
    descending = browse.Query(column, True, q.filters)
    active = "desc" if q.sort == column and q.desc else ("asc" if q.sort == column else "")
    return {"asc": table_url(rel.schema, rel.name, ascending.params()),
            "desc": table_url(rel.schema, rel.name, descending.params()), "active": active}


@staff(VIEW_DATA, ("GET", "POST"))
def row(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return _save(request, "update")
    key = request.GET.getlist("k")
    try:
        with read_only() as conn:
            rel = _relation(conn, request)
            found = browse.row(conn, rel, key)
            if found is None:
                raise Http404("no such row (it may have been deleted)")
            values, version = found[:-1], found[-1]
            parents = _parents(rel, values)
            children = _children(conn, rel, values)
    except browse.BadRequest as exc:
        return _error(request, str(exc))
    except StudioError as exc:
        return _error(request, str(exc), _status(exc))
    fields = [{"column": c, "shown": show(v, c.category == "A"), "text": as_text(v, c.category == "A"),
               "parent": parents.get(c.name)} for c, v in zip(rel.columns, values, strict=True)]
    return _page(request, "row.html", {"rel": rel, "fields": fields, "children": children, "key": key,
                                        "version": version, "table_url": table_url(rel.schema, rel.name)})


def _filter_params(columns: tuple[str, ...], values: list[str | None]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for c, v in zip(columns, values, strict=True):
        out += [("fc", c), ("fo", "null" if v is None else "eq"), ("fv", v or "")]
    return out


def _parents(rel: catalog.Relation, values: tuple[Any, ...]) -> dict[str, str]:
    """Column -> link to the row its foreign key points at (single- and multi-column keys)."""
    by_name = dict(zip(rel.column_names, values, strict=True))
    out: dict[str, str] = {}
    for fk in rel.outgoing:
        vals = [as_text(by_name[c]) for c in fk.src_columns]
        if any(v is None for v in vals):
            continue
        url = table_url(fk.ref_schema, fk.ref_table, _filter_params(fk.ref_columns, vals))
        for c in fk.src_columns:
            out.setdefault(c, url)
    return out


def _children(conn, rel: catalog.Relation, values: tuple[Any, ...]) -> list[dict[str, Any]]:
    """Every foreign key pointing at this row: the referencing table, how many rows, a link to them."""
    by_name = dict(zip(rel.column_names, values, strict=True))
    out = []
    for fk in rel.incoming:
        vals = [as_text(by_name[c]) for c in fk.ref_columns]
        if any(v is None for v in vals):
            continue
        count = browse.referencing_count(conn, fk.src_schema, fk.src_table, fk.src_columns, vals)
        out.append({"fk": fk, "count": count,
                    "url": table_url(fk.src_schema, fk.src_table, _filter_params(fk.src_columns, vals))})
    return out


@staff(VIEW_DATA, ("GET", "POST"))
def row_new(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return _save(request, "insert")
    try:
        with read_only() as conn:
            rel = _relation(conn, request)
    except StudioError as exc:
        return _error(request, str(exc), _status(exc))
    if not (conf.studio_write() and request.user.has_perm(EDIT_DATA)):
        return _error(request, "editing is off (db_studio --write) or you lack the edit permission", 403)
    fields = [{"column": c, "text": None} for c in rel.columns if not c.generated]
    return _page(request, "row_new.html", {"rel": rel, "fields": fields, "table_url": table_url(rel.schema, rel.name)})


@staff(VIEW_DATA, ("POST",))
def row_delete(request: HttpRequest) -> HttpResponse:
    return _save(request, "delete")


def _save(request: HttpRequest, action: str) -> HttpResponse:
    """Insert, update or delete one row in one short transaction; refused when the row changed meanwhile."""
    if not (conf.studio_write() and request.user.has_perm(EDIT_DATA)):
        return _error(request, "editing is off (db_studio --write) or you lack the edit permission", 403)
    schema, name = request.POST.get("s", ""), request.POST.get("t", "")
    try:
        with read_only() as conn:
            rel = catalog.relation(conn, schema, name)
        if rel is None:
            raise Http404("no such table")
        key = edit.save(rel, action, request.POST)
    except (edit.Conflict, browse.BadRequest, StudioError) as exc:
        return _error(request, str(exc), 409 if isinstance(exc, edit.Conflict) else _status(exc))
    if key is None:
        return HttpResponseRedirect(table_url(schema, name))
    return HttpResponseRedirect(_url("row", [("s", schema), ("t", name), *(("k", k) for k in key)]))


@staff(VIEW_DATA)
def diagram_page(request: HttpRequest) -> HttpResponse:
    source = request.GET.get("source", "live")
    try:
        tables = history.tables(source)
    except (StudioError, history.Unavailable) as exc:
        return _error(request, str(exc), _status(exc))
    schemas = sorted({t.schema for t in tables})
    chosen = request.GET.get("schema") or (schemas[0] if schemas else "public")
    shown = [t for t in tables if t.schema == chosen]
    picture = diagram.svg(shown, lambda t: table_url(t.schema, t.name), f"{chosen} ({source})")
    if request.GET.get("download"):
        response = HttpResponse(picture, content_type="image/svg+xml")
        response["Content-Disposition"] = f'attachment; filename="schema-{source}.svg"'
        return response
    download = _url("diagram", {"source": source, "schema": chosen, "download": "1"})
    return _page(request, "diagram.html", {"svg": picture, "schemas": schemas, "chosen": chosen, "source": source,
                                            "download": download})


@staff(VIEW_DATA)
def migrations(request: HttpRequest) -> HttpResponse:
    try:
        states = history.migrations()
    except (StudioError, history.Unavailable) as exc:
        return _error(request, str(exc), _status(exc))
    return _page(request, "migrations.html", {"states": states})


@staff(VIEW_DATA)
def migration(request: HttpRequest) -> HttpResponse:
    try:
        detail = history.migration(request.GET.get("name", ""))
    except history.Unavailable as exc:
        return _error(request, str(exc), 404)
    return _page(request, "migration.html", detail)


@staff(RUN_SQL, ("GET", "POST"))
def console(request: HttpRequest) -> HttpResponse:
    text = request.POST.get("sql", "") if request.method == "POST" else request.GET.get("sql", "")
    if request.method == "GET":
        return _page(request, "console.html", {"sql": text})
    try:
        result = run_statement(text, explain="explain" in request.POST)
    except StudioError as exc:
        return _page(request, "console.html", {"sql": text, "error": str(exc)}, status=_status(exc))
    if request.POST.get("format") in ("csv", "csv-spreadsheet"):
        return _csv(result, spreadsheet=request.POST["format"] == "csv-spreadsheet")
    rows = [[show(v) for v in r] for r in result.rows]
    return _page(request, "console.html", {"sql": text, "result": result, "rows": rows})


def _csv(result, spreadsheet: bool = False) -> HttpResponse:
    """The result as CSV: values exactly as PostgreSQL gave them, or made inert for a spreadsheet."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="result{"-spreadsheet" if spreadsheet else ""}.csv"'
    cell = _inert if spreadsheet else (lambda text: text)
    writer = csv.writer(response)
    writer.writerow([cell(c) for c in result.columns])
    for r in result.rows:
        writer.writerow(["" if v is None else cell(as_text(v)) for v in r])
    return response


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _inert(text: str) -> str:
    """A cell a spreadsheet will not run as a formula: a leading ' unless the text is a plain number."""
    if not text.startswith(FORMULA_START):
        return text
    try:
        float(text)
    except ValueError:
        return "'" + text
    return text
