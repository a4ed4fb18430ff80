from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("countries", views.CountryViewSet)
router.register("regions", views.RegionViewSet)
router.register("hs", views.HSCodeViewSet)
router.register("nace", views.NACECodeViewSet)
urlpatterns = router.urls
