from django.urls import path

from . import views

app_name = "exchange"
urlpatterns = [
    path("", views.search, name="search"),
    path("save/", views.save_search, name="save_search"),
    path("board/", views.BoardView.as_view(), name="board"),
    path("new/", views.opportunity_edit, name="opportunity_create"),
    path("o/<int:pk>/", views.opportunity_detail, name="opportunity"),
    path("o/<int:pk>/edit/", views.opportunity_edit, name="opportunity_edit"),
    path("o/<int:pk>/<str:action>/", views.opportunity_action, name="opportunity_action"),
    path("interest/<int:pk>/<str:action>/", views.interest_action, name="interest_action"),
    path("consortium/", views.consortium, name="consortium"),
    path("fits/", views.fits, name="fits"),
    path("fits/<str:public_id>/", views.fits, name="fits_for"),
]
