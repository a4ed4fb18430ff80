from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("opportunities", views.OpportunityViewSet)
router.register("interests", views.InterestViewSet)

urlpatterns = [
    path("match/", views.match, name="match"),
    path("consortium/", views.consortium, name="consortium"),
    *router.urls,
]
