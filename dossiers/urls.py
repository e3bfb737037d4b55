"""Every URL of the dossiers app: a commune's dossier lists and a report's dossiers."""

from django.urls import path

from dossiers import views

app_name = "dossiers"

urlpatterns = [
    path("dossiers/example.csv", views.dossier_example, name="example"),
    path("communes/<int:commune_code>/dossiers/", views.dossier_list, name="list"),
    path("communes/<int:commune_code>/dossiers/import/", views.dossier_import, name="import"),
    path("communes/<int:commune_code>/dossiers/import/map/", views.dossier_import_map, name="import_map"),
    path("communes/<int:commune_code>/dossiers/jobs/<int:job_id>/", views.dossier_import_job, name="job"),
    path("reports/<int:report_id>/dossiers/", views.report_figure_dossiers, name="report_dossiers"),
    path("reports/<int:report_id>/dossiers/compute/", views.report_dossiers_compute, name="compute"),
]
