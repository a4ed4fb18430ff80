"""coopnet URL configuration: one include per app, and one API root that gathers every app's API."""
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

APPS = ("registry", "exchange", "financing", "plans", "stats")

api_patterns = [path("", include("coopnet.reference.api.urls"))]
api_patterns += [path("", include(f"coopnet.{app}.api.urls")) for app in APPS]

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/", include(api_patterns)),
    path("", include("coopnet.core.urls")),
    path("accounts/", include("coopnet.accounts.urls")),
    path("admin/", admin.site.urls),
    path("reference/", include("coopnet.reference.urls")),
]
urlpatterns += [path(f"{app}/", include(f"coopnet.{app}.urls")) for app in APPS]

handler404 = "coopnet.core.views.not_found"

__all__ = ["urlpatterns", "i18n_patterns", "handler404"]
