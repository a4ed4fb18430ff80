from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("vendor/plotly.min.js", views.plotly_js, name="plotly-js"),
    path("health/", views.health, name="health"),
]
