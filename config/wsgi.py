import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()
# The loaded app's objects live as long as the process: keep them out of every later garbage
# collection, which otherwise walks them all (about 85 ms on large pages; bench/RESULTS.md).
gc.freeze()
