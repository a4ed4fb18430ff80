from django.urls import path

from . import views

app_name = "financing"
urlpatterns = [
    path("", views.check, name="checker"),
    path("check/", views.check, name="check"),
    path("applications/", views.application_list, name="applications"),
    path("applications/new/", views.application_create, name="application-new"),
    path("applications/<int:pk>/", views.application_detail, name="application"),
    path("applications/<int:pk>/transition/", views.application_transition, name="application-transition"),
    path("applications/<int:pk>/reports/", views.report_create, name="report-new"),
    path("documents/<int:pk>/", views.document_download, name="document"),
    path("queue/", views.queue, name="queue"),
    path("budget/", views.budget, name="budget"),
    path("register/", views.register, name="register"),
    path("rates/", views.rates, name="rates"),
]
