"""URLs of `manage.py db_studio`: the studio at the root."""

from django.urls import include, path

urlpatterns = [path("", include("schemakit.studio.urls"))]
