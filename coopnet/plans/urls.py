from django.urls import path

from . import views

app_name = "plans"
urlpatterns = [
    path("", views.RegisterView.as_view(), name="register"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("compare/", views.compare_view, name="compare"),
    path("d/<int:pk>/", views.document_detail, name="document"),
    path("d/<int:pk>/export.<str:fmt>", views.export, name="export"),
    path("m/<int:pk>/", views.measure_detail, name="measure"),
    path("d/new/", views.document_edit, name="document-new"),
    path("d/<int:pk>/edit/", views.document_edit, name="document-edit"),
    path("d/<int:pk>/directions/", views.directions_edit, name="directions-edit"),
    path("d/<int:document_pk>/measures/new/", views.measure_edit, name="measure-new"),
    path("m/<int:pk>/edit/", views.measure_edit, name="measure-edit"),
]
