# Two commands a newcomer needs: `make run` and `make test` (see README.md).
PYTHON := .venv/bin/python
MANAGE := $(PYTHON) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test setup setup-test lint migrate demo check-deploy bench

setup:
	@bash scripts/setup.sh run

setup-test:
	@bash scripts/setup.sh test

migrate: setup
	DJANGO_DEBUG=True $(MANAGE) migrate --noinput

demo: migrate
	DJANGO_DEBUG=True $(MANAGE) load_communes --province 31
	DJANGO_DEBUG=True $(MANAGE) seed_demo

# The web server, one background worker (the period's ZIP files, PDFs drawn ahead) and a heartbeat
# queued every minute as production's systemd timer does (/healthz); stopping make stops all three.
run: demo
	@echo "Mở http://$(HOST):$(PORT) (tài khoản mẫu trong README.md)"
	@DJANGO_DEBUG=True $(MANAGE) db_worker --no-reload & worker=$$!; \
	(trap 'kill $$nap 2>/dev/null; exit 0' TERM; \
	 while :; do DJANGO_DEBUG=True $(MANAGE) heartbeat >/dev/null; sleep 60 & nap=$$!; wait $$nap; done) & beat=$$!; \
	trap 'kill $$worker $$beat 2>/dev/null; wait $$worker $$beat 2>/dev/null' EXIT; trap 'exit 130' INT TERM; \
	DJANGO_DEBUG=True $(MANAGE) runserver $(HOST):$(PORT)

lint: setup-test
	$(PYTHON) -m ruff check .
	$(PYTHON) -m ruff format --check .
	DJANGO_DEBUG=True $(PYTHON) -m mypy --strict config communes reports dossiers ops

test: lint
	$(MANAGE) makemigrations --check --dry-run
	$(MANAGE) test --parallel $${TEST_PARALLEL:-2} --noinput $(TEST_ARGS)

check-deploy: setup
	DJANGO_SECRET_KEY=$$(head -c 48 /dev/urandom | base64) DJANGO_ALLOWED_HOSTS=example.invalid \
		$(MANAGE) check --deploy --fail-level WARNING

# Needs PostgreSQL at 127.0.0.1 (trust auth); each script creates and drops its own database.
bench: setup-test
	$(PYTHON) bench/render_bench.py
	$(PYTHON) bench/city_scale_bench.py
	$(PYTHON) bench/load_bench.py
	$(PYTHON) bench/dossiers_bench.py
