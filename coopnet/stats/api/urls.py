from django.urls import path

from . import views

urlpatterns = [
    path("stats/indicators/", views.indicator_list, name="api-stats-indicators"),
    path("stats/indicators/<str:name>/", views.indicator_detail, name="api-stats-indicator"),
    path("stats/series/<str:name>/", views.series, name="api-stats-series"),
    path("stats/conflicts/", views.conflicts, name="api-stats-conflicts"),
    path("stats/catalog/", views.catalog, name="api-stats-catalog"),
    path("stats/map/", views.map_data, name="api-stats-map"),
    path("stats/import/", views.import_file, name="api-stats-import"),
    path("stats/export/", views.export, name="api-stats-export"),
    # /api/opportunities/ belongs to the exchange (business opportunities): ours live under stats/.
    path("stats/opportunities/", views.opportunities, name="api-opportunities"),
    path("stats/opportunities/<str:code>/suppliers/", views.opportunity_suppliers, name="api-opportunity-suppliers"),
]
