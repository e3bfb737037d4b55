"""Every URL of the reports app, in one list."""

from django.urls import path

from reports.views import city, city_report, documents, entry, period_files, review, trends

app_name = "reports"

urlpatterns = [
    # Data entry
    path("open/<int:commune_code>/", entry.report_open, name="open"),
    path("<int:report_id>/", entry.report_detail, name="detail"),
    path("<int:report_id>/edit/", entry.report_edit, name="edit"),
    path("<int:report_id>/autosave/", entry.report_autosave, name="autosave"),
    path("<int:report_id>/check/", entry.report_check, name="check"),
    path("<int:report_id>/history/", entry.report_history, name="history"),
    # The printed report
    path("<int:report_id>/preview/", documents.report_preview, name="preview"),
    path("<int:report_id>/download/docx/", documents.report_download_docx, name="download_docx"),
    path("<int:report_id>/download/pdf/", documents.report_download_pdf, name="download_pdf"),
    # Submission, review, issuing and archive
    path("<int:report_id>/submit/", review.report_submit, name="submit"),
    path("<int:report_id>/review/", review.report_review, name="review"),
    path("<int:report_id>/return/", review.report_return, name="return"),
    path("<int:report_id>/accept/", review.report_accept, name="accept"),
    path("<int:report_id>/issue/", review.report_issue, name="issue"),
    path("<int:report_id>/scans/upload/", review.report_scan_upload, name="scan_upload"),
    path("<int:report_id>/scans/replace/", review.report_scan_replace, name="scan_replace"),
    path("<int:report_id>/scans/confirm/", review.report_scan_confirm, name="scan_confirm"),
    path("<int:report_id>/scans/<int:revision>/", review.scan_download, name="scan_download"),
    path("<int:report_id>/scans/<int:revision>/<int:scan_id>/", review.scan_download, name="scan_download_kept"),
    path("<int:report_id>/amend/", review.report_amend, name="amend"),
    path("comments/<int:comment_id>/answer/", review.comment_answer, name="comment_answer"),
    # The city Centre's figures
    path("periods/<int:period_id>/", city.period_grid, name="period_grid"),
    path("periods/<int:period_id>/remind/", city.period_remind, name="period_remind"),
    path("periods/<int:period_id>/totals/", city.period_totals, name="period_totals"),
    path("periods/<int:period_id>/totals/<str:figure>/", city.period_figure, name="period_figure"),
    path("national/", city.national, name="national"),
    # The period's files: the Excel summary, and every report in one ZIP built in the background
    path("periods/<int:period_id>/xlsx/", period_files.period_xlsx, name="period_xlsx"),
    path("periods/<int:period_id>/zip/", period_files.period_zip_start, name="period_zip_start"),
    path("periods/<int:period_id>/zip/status/", period_files.period_zip_status, name="period_zip_status"),
    path("periods/<int:period_id>/zip/<int:export_id>/", period_files.period_zip_download, name="period_zip_download"),
    # The Centre's own report
    path("periods/<int:period_id>/city-report/", city_report.city_report_edit, name="city_report_edit"),
    path("periods/<int:period_id>/city-report/issue/", city_report.city_report_issue, name="city_report_issue"),
    path("periods/<int:period_id>/city-report/preview/", city_report.city_report_preview, name="city_report_preview"),
    path(
        "periods/<int:period_id>/city-report/download/docx/",
        city_report.city_report_download_docx,
        name="city_report_download_docx",
    ),
    path(
        "periods/<int:period_id>/city-report/download/pdf/",
        city_report.city_report_download_pdf,
        name="city_report_download_pdf",
    ),
    # Trends over the last 12 periods
    path("periods/<int:period_id>/trends/", trends.period_trends, name="period_trends"),
    path("communes/<int:code>/trends/", trends.commune_trends, name="commune_trends"),
]
