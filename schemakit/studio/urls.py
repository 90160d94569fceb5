"""The studio's pages, mountable in a project: path("studio/", include("schemakit.studio.urls"))."""

from django.contrib.auth import views as auth_views
from django.urls import path

from . import views
from .access import hardened

app_name = "schemakit_studio"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("table/", views.table, name="table"),
    path("row/", views.row, name="row"),
    path("row/new/", views.row_new, name="row_new"),
    path("row/delete/", views.row_delete, name="row_delete"),
    path("diagram/", views.diagram_page, name="diagram"),
    path("migrations/", views.migrations, name="migrations"),
    path("migration/", views.migration, name="migration"),
    path("sql/", views.console, name="console"),
    path("studio.css", views.stylesheet, name="css"),
    path("login/", hardened(auth_views.LoginView.as_view(template_name="schemakit/studio/login.html",
                                                          next_page="schemakit_studio:overview")), name="login"),
    path("logout/", hardened(auth_views.LogoutView.as_view(next_page="schemakit_studio:login")), name="logout"),
]
