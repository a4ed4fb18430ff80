from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("plans/documents", views.DocumentViewSet, basename="plan-document")
router.register("plans/measures", views.MeasureViewSet, basename="plan-measure")
router.register("plans/reports", views.StatusReportViewSet, basename="plan-report")

urlpatterns = [
    path("plans/check/", views.check_plan, name="plan-check"),
    *router.urls,
]
