from reports.views import documents, entry

app_name = "reports"

urlpatterns = [*entry.urlpatterns, *documents.urlpatterns]
