"""Who may see what: Django's login, staff only, and one permission per power; strict headers on every page."""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

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


def staff(permission: str | None = VIEW_DATA) -> Callable:
    """Allow active staff holding `permission`; send others to log in (anonymous) or refuse them (403)."""

    def wrap(view: Callable) -> Callable:
        @functools.wraps(view)
        def inner(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            user = request.user
            if not user.is_authenticated:
                return harden(redirect_to_login(request.get_full_path(), reverse("schemakit_studio:login")))
            if not (user.is_active and user.is_staff) or (permission and not user.has_perm(permission)):
                raise PermissionDenied("the studio needs a staff account with the right permission")
            return harden(view(request, *args, **kwargs))

        return inner

    return wrap


def hardened(view: Callable) -> Callable:
    """`view` with the studio's headers (for Django's own login and logout views)."""

    @functools.wraps(view)
    def inner(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        return harden(view(request, *args, **kwargs))

    return inner
