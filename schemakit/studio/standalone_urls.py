"""URLs of `manage.py db_studio`: the studio at the root, its own pages for 404 and 500."""

from django.urls import include, path

urlpatterns = [path("", include("schemakit.studio.urls"))]

handler404 = "schemakit.studio.access.not_found"
handler500 = "schemakit.studio.access.server_error"
