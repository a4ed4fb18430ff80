from django.urls import path
from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("financing/applications", views.ApplicationViewSet, basename="financing-application")
router.register("financing/rule-sets", views.RuleSetViewSet, basename="financing-ruleset")
router.register("financing/base-rates", views.BaseRateViewSet, basename="financing-baserate")
router.register("financing/lenders", views.ApprovedLenderViewSet, basename="financing-lender")
router.register("financing/budget", views.BudgetEnvelopeViewSet, basename="financing-budget")

urlpatterns = [
    path("projects/check/", views.ProjectCheckView.as_view(), name="projects-check"),
    *router.urls,
]
