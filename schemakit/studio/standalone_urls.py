"""URLs of `manage.py db_studio`: the studio at the root, its own page for any other address (even under DEBUG)."""

from django.urls import include, path, re_path

from .access import not_found

urlpatterns = [path("", include("schemakit.studio.urls")), re_path(r"", not_found)]

handler500 = "schemakit.studio.access.server_error"
