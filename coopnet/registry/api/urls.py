from django.urls import include, path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("organisations", views.OrganisationViewSet)
router.register("competencies", views.CompetencyViewSet)
router.register("sites", views.SiteViewSet)

urlpatterns = [
    path("competency-map/", views.competency_map, name="competency-map"),
    path("", include("coopnet.registry.api.imports")),
    *router.urls,
]
