"""Who may see what: Django's login, staff only, and one permission per power; strict headers on every page."""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from ..errors import SchemaKitError
from .session import StudioError

VIEW_DATA = "schemakit.studio_view_data"
EDIT_DATA = "schemakit.studio_edit_data"
RUN_SQL = "schemakit.studio_run_sql"

# no inline script or style anywhere; the page may not be framed, nor post anywhere else
CSP = ("default-src 'none'; style-src 'self'; img-src 'self' data:; script-src 'self'; form-action 'self'; "
       "frame-ancestors 'none'; base-uri 'none'")


def harden(response: HttpResponse) -> HttpResponse:
    response["Content-Security-Policy"] = CSP
    response["X-Frame-Options"] = "DENY"
    response["X-Content-Type-Options"] = "nosniff"
    response["Referrer-Policy"] = "same-origin"
    response["Cache-Control"] = "no-store"
    return response


def error_page(request: HttpRequest, message: str, status: int) -> HttpResponse:
    """The studio's one error page, with its headers (for refusals, unknown pages and an unreachable database)."""
    return harden(render(request, "schemakit/studio/error.html", {"message": message}, status=status))


def staff(permission: str | None = VIEW_DATA, methods: tuple[str, ...] = ("GET",)) -> Callable:
    """Allow active staff holding `permission`; send others to log in (anonymous) or refuse them (403).

    Every answer, including a refusal, a 404, a 405 and a database that cannot be reached, is the
    studio's own page with its headers.
    """

    def wrap(view: Callable) -> Callable:
        allowed = require_http_methods(list(methods))(view)

        @functools.wraps(view)
        def inner(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            user = request.user
            if not user.is_authenticated:
                return harden(redirect_to_login(request.get_full_path(), reverse("schemakit_studio:login")))
            try:
                if not (user.is_active and user.is_staff) or (permission and not user.has_perm(permission)):
                    raise PermissionDenied("the studio needs a staff account with the right permission")
                return harden(allowed(request, *args, **kwargs))
            except PermissionDenied as exc:
                return error_page(request, str(exc) or "not allowed", 403)
            except Http404 as exc:
                return error_page(request, str(exc) or "no such page", 404)
            except (StudioError, SchemaKitError) as exc:  # the database is down or its alias is wrong
                return error_page(request, str(exc), 503)

        return inner

    return wrap


def hardened(view: Callable) -> Callable:
    """`view` with the studio's headers (for Django's own login and logout views)."""

    @functools.wraps(view)
    def inner(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        return harden(view(request, *args, **kwargs))

    return inner


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW under db_studio: the studio's error page, not Django's."""
    return error_page(request, "the form was refused (its CSRF token is missing or stale): reload the page and try again", 403)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_page(request, "no such page", 404)


def server_error(request: HttpRequest) -> HttpResponse:
    return harden(HttpResponse("the studio failed on this page; the server log has the details", status=500,
                               content_type="text/plain; charset=utf-8"))
