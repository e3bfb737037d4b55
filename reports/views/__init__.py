"""Report views, one module per screen group; reports/urls.py lists every URL pattern."""
