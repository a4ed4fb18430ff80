from django.urls import include, path

from .views import organisations as views

app_name = "registry"
urlpatterns = [
    path("", views.OrganisationListView.as_view(), name="organisation_list"),
    path("new/", views.organisation_create, name="organisation_create"),
    path("map/", views.competency_map, name="competency_map"),
    path("map/data/", views.competency_map_json, name="competency_map_data"),
    path("ref/<str:ref>/", views.by_ref, name="by_ref"),
    path("o/<str:public_id>/", views.organisation_detail, name="organisation"),
    path("o/<str:public_id>/edit/", views.OrganisationUpdateView.as_view(), name="organisation_edit"),
    path("o/<str:public_id>/history/", views.history_page, name="organisation_history"),
    path("o/<str:public_id>/<str:kind>/add/", views.child_edit, name="child_add"),
    path("o/<str:public_id>/<str:kind>/<int:pk>/", views.child_edit, name="child_edit"),
    path("competency/<int:pk>/delete/", views.CompetencyDeleteView.as_view(), name="competency_delete"),
    path("", include("coopnet.registry.urls_imports")),
]
