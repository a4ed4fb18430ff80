from django.urls import path

from . import views

app_name = "stats"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("map/", views.map_page, name="map"),
    path("import/", views.import_page, name="import"),
    path("indicators/", views.indicator_list, name="indicators"),
    path("indicators/<str:name>/", views.indicator_detail, name="indicator"),
    path("series/<str:name>/", views.series_page, name="series"),
    path("opportunities/", views.opportunity_list, name="opportunities"),
    path("opportunities/<str:code>/", views.opportunity_detail, name="opportunity"),
]
