from django.urls import path

from communes import views

app_name = "communes"

urlpatterns = [
    path("", views.commune_list, name="list"),
    path("<int:code>/", views.commune_detail, name="detail"),
]
