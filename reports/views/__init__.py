"""Report views, one module per screen group; each module lists its own `urlpatterns`."""
