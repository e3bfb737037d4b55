from reports.views import documents, entry, review

app_name = "reports"

urlpatterns = [*entry.urlpatterns, *documents.urlpatterns, *review.urlpatterns]
