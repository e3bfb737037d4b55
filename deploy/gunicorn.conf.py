"""gunicorn settings for the app: `gunicorn -c deploy/gunicorn.conf.py config.wsgi`.

The mix this serves: many short page, autosave and check requests (10–50 ms of Python each) and
a few PDF renders (0.1–1 s, up to ~13 s for the largest report the content rules allow). Chosen
and measured in bench/RESULTS.md (bench/load.py):

- gthread workers: a worker's threads keep answering pages while one of them waits for a render
  (renders run in the per-process pool of reports/rendering/limits.py with their own time limit),
  so a few PDF downloads no longer occupy every worker as they did with sync workers.
- one worker per core (Python code holds the GIL; more processes than cores only add memory),
  four threads each (requests mostly wait on PostgreSQL between bits of Python).
- timeout above DJANGO_RENDER_TIME_LIMIT (20 s): the app answers 503 itself first; gunicorn only
  kills a worker that is truly stuck.
- max_requests with jitter: WeasyPrint's caches grow a worker's memory; recycling workers one at a
  time keeps each under ~120 MiB without all restarting together.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# WEB_CONCURRENCY is also read by communes/checks.py (several workers need a shared cache).
workers = int(os.environ.get("WEB_CONCURRENCY", str(multiprocessing.cpu_count())))
os.environ["WEB_CONCURRENCY"] = str(workers)
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "40"))
graceful_timeout = 30
# Above nginx's upstream keepalive_timeout (4 s, deploy/nginx/baocao.conf), so the proxy, not
# gunicorn, closes an idle connection: a request sent onto a connection as it closes is reset.
keepalive = 5
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = max_requests // 10
# Load the app once before forking: shared memory pages, and a broken configuration stops the
# master at start instead of every worker in a loop.
preload_app = True
# Behind nginx on the same machine (deploy/nginx/baocao.conf): trust its X-Forwarded-* headers.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
access_log_format = 'time=%(t)s event=request method=%(m)s path="%(U)s" status=%(s)s bytes=%(B)s ms=%(M)s'
errorlog = "-"


def on_starting(server: object) -> None:
    """Run Django's system checks before forking: with several workers and a per-process cache
    (communes.E001) or any other error, the master stops here instead of serving."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("check", fail_level="ERROR")
