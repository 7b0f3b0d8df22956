# 商联通 Shanglian — build, run and test.
#
#   make run            install, migrate, seed the demo data, serve on http://127.0.0.1:8000/
#   make test           lint, tests on SQLite, tests on PostgreSQL, browser tests (what CI runs)
#   make vendor         refresh static/vendor/ from scripts/vendor/package.json (needs npm)
#
# Extra pytest options for the test targets: make test-sqlite PYTEST_ARGS="-x -k members"
#
# Everything runs from .venv, which `make install` creates (again only when pyproject.toml changes).

PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
ARTIFACTS := test-artifacts

PIP_FLAGS := --disable-pip-version-check --no-input --progress-bar off
# The unit suites run on every core (pytest-xdist; TEST_WORKERS=0 runs them in one process): each worker has
# its own test database and var dir; a test module stays on one worker (its module fixtures are built once).
TEST_WORKERS ?= auto
PYTEST_BASE := -m "not browser" -q -n $(TEST_WORKERS) --dist loadfile
PYTEST_ARGS ?=

# Each test run gets its own var/ dir (secrets, SQLite, media), removed afterwards, so tests never
# touch the demo database in var/. Used at the start of a recipe line; ends with "; ".
WITH_TEST_VAR = export SHANGLIAN_VAR_DIR="$$(mktemp -d /tmp/shanglian-test.XXXXXX)"; \
	mkdir -p "$$SHANGLIAN_VAR_DIR/staticfiles"; trap 'rm -rf "$$SHANGLIAN_VAR_DIR"' EXIT; unset DATABASE_URL SHANGLIAN_ENV SHANGLIAN_DEMO;

.DEFAULT_GOAL := help
.PHONY: help venv install run lint test test-sqlite test-pg test-browser vendor messages clean bench

help:
	@echo "make run | test | lint | test-sqlite | test-pg | test-browser | bench | vendor | install | clean"

# --- Environment -----------------------------------------------------------------------------------
venv install: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || { echo "creating $(VENV) with $(PY)"; $(PY) -m venv $(VENV); }
	$(BIN)/python -m pip install $(PIP_FLAGS) -q --upgrade pip
	$(BIN)/python -m pip install $(PIP_FLAGS) -q -e '.[test]'
	@touch $@

# --- Demo server -----------------------------------------------------------------------------------
run: export SHANGLIAN_DEMO = 1
run: $(STAMP)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo --if-empty
	$(BIN)/python manage.py collectstatic --noinput -v0
	@echo
	@echo "  商联通 is starting on  http://127.0.0.1:8000/   (Ctrl-C to stop)"
	@echo
	BIN=$(BIN) exec scripts/serve.sh

# --- Checks ----------------------------------------------------------------------------------------
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports

test-sqlite: $(STAMP)
	@$(WITH_TEST_VAR) echo "== tests on SQLite"; \
	$(BIN)/pytest $(PYTEST_BASE) $(PYTEST_ARGS)

test-pg: $(STAMP)
	@$(WITH_TEST_VAR) echo "== tests on PostgreSQL"; \
	scripts/with-postgres.sh $(BIN)/pytest $(PYTEST_BASE) $(PYTEST_ARGS)

# Needs Debian's chromium, its Chinese locale files (chromium-l10n: date and file inputs in Chinese) and a
# CJK font (installed here when missing: apt-get, as root). Exit 5 (no
# browser test collected) is a failure on purpose: at least one browser test must exist.
# Artefacts: tests save their own screenshots under $SHANGLIAN_TEST_ARTIFACTS (= test-artifacts/);
# pytest-playwright keeps a screenshot and a trace of each failed test in test-artifacts/playwright/.
test-browser: $(STAMP)
	@if [ ! -x /usr/bin/chromium ] || ! dpkg -s chromium-l10n >/dev/null 2>&1 || \
			! { fc-list :lang=zh 2>/dev/null | grep -q . || dpkg -s fonts-noto-cjk >/dev/null 2>&1; }; then \
		echo "== installing chromium, chromium-l10n and fonts-noto-cjk (apt-get)"; \
		if [ "$$(id -u)" -ne 0 ]; then echo "need root to apt-get install chromium chromium-l10n fonts-noto-cjk" >&2; exit 1; fi; \
		export DEBIAN_FRONTEND=noninteractive; \
		apt-get update -qq </dev/null && \
		apt-get install -y -qq chromium chromium-l10n fonts-noto-cjk </dev/null >/dev/null || exit 1; \
	fi
	@rm -rf $(ARTIFACTS) && mkdir -p $(ARTIFACTS)
	@$(WITH_TEST_VAR) echo "== browser tests (artefacts in $(ARTIFACTS)/)"; \
	export SHANGLIAN_TEST_ARTIFACTS="$(CURDIR)/$(ARTIFACTS)" DJANGO_ALLOW_ASYNC_UNSAFE=true; \
	$(BIN)/pytest -m browser -q -p no:randomly --output $(ARTIFACTS)/playwright --screenshot only-on-failure \
		--tracing retain-on-failure $(PYTEST_ARGS)

test:
	@$(MAKE) --no-print-directory lint
	@$(MAKE) --no-print-directory test-sqlite
	@$(MAKE) --no-print-directory test-pg
	@$(MAKE) --no-print-directory test-browser

# --- Front-end assets ------------------------------------------------------------------------------
vendor: $(STAMP)
	bash scripts/vendor/vendor.sh

# --- Translations: our own catalogue (shanglian/locale/, LOCALE_PATHS) compiled after editing a .po ----
messages: $(STAMP)
	@$(WITH_TEST_VAR) $(BIN)/python manage.py compilemessages --locale zh_Hans --ignore '.venv/*'

clean:
	rm -rf $(ARTIFACTS) /tmp/shanglian-test.*

# --- Benchmarks (figures printed, never asserted) ---------------------------------------------------
# Every benchmark (bench/run_all.py; `make bench LIST=1` lists them): each in its own process, its figures gathered into
# bench/results/latest.json and latest.md and the README's table. ONLY="peer deploy" runs those only (the others keep
# the figures of their last run, dated); SKIP="import" leaves some out; ONLY=soak adds the hour-long soak. The member
# import measures the code in BASELINE=<a checkout of the code before> too when given. A few hours on 2 cores.
.PHONY: bench
bench: $(STAMP)
	$(BIN)/python bench/run_all.py $${LIST:+--list} $${ONLY:+--only $$ONLY} $${SKIP:+--skip $$SKIP}

# django-helpdesk beside us (bench/bench_peer.py): the same number of tickets as appeals, at district and city scale,
# both served by gunicorn on loopback and loaded by wrk; its own virtualenv .venv-peer is made when missing.
# SCALES="district city", SECONDS_=20 of wrk a page.
.PHONY: bench-peer
bench-peer: $(STAMP)
	scripts/with-postgres.sh $(BIN)/python bench/bench_peer.py --scale $${SCALES:-district city} --seconds $${SECONDS_:-20}

# 活动统计 over 10 years × 2,000 events × ~100,000 check-ins (100,000 firms, SQLite): p50/p95 and the query count
# at 10 % and 100 % of the events, next to hand-written SQL (bench/results/event-stats-<date>.md). ENTERPRISES=,
# EVENTS=, CHECKINS= (over the ten years), REQUESTS=; the city's 2,000 events a year: EVENTS=20000 CHECKINS=1000000.
.PHONY: bench-event-stats
bench-event-stats: $(STAMP)
	$(BIN)/python bench/bench_event_stats.py --enterprises $${ENTERPRISES:-100000} --events $${EVENTS:-2000} \
		--checkins $${CHECKINS:-100000} --requests $${REQUESTS:-20}

# 10,000 policies × 100,000 enterprises: search, an enterprise's matches, a policy's match count (SQLite;
# PostgreSQL too when DATABASE_URL is set, e.g. scripts/with-postgres.sh make bench-policies).
.PHONY: bench-policies
bench-policies: $(STAMP)
	$(BIN)/python bench/bench_policies.py

# Every menu page, list variant and API list of each demo login, at the demo size and at city scale, p50/p95
# and queries, next to hand-written SQL for the main pages (bench/results/pages-<date>.md). The city: CITY=<a
# var dir or .sqlite3 file> (copied first), else /tmp/city once /tmp/city/READY exists, else a district of
# 20,000 enterprises built for the run; CITY_URL=<DATABASE_URL> for one on PostgreSQL (CITY then names the var
# dir holding its keys). REQUESTS=20 per page. The city on PostgreSQL (a persistent cluster in /tmp/pgcity):
#   scripts/pgcity.sh start
#   .venv/bin/python bench/load_city_pg.py --source /tmp/city --db city      # minutes; --replace to redo
#   make bench-pages CITY=/tmp/pgcity/var/city CITY_URL=$(scripts/pgcity.sh url city) ONLY=city REQUESTS=5
#   scripts/pgcity.sh stop
# Another city beside it: load_city_pg.py --source /tmp/city1m --db city1m, then CITY=/tmp/pgcity/var/city1m
# CITY_URL=$(scripts/pgcity.sh url city1m). After a merge that adds migrations, bench-pages migrates the database.
# PAGES=<regular expression> measures only the pages whose "label login" it finds (e.g. PAGES='q=|statistics chamber1'),
# without the hand SQL.
.PHONY: bench-pages
bench-pages: $(STAMP)
	$(BIN)/python bench/bench_pages.py --requests $${REQUESTS:-20} $${CITY:+--city "$$CITY"} \
		$${CITY_URL:+--city-url "$$CITY_URL"} $${ONLY:+--only "$$ONLY"} $${PAGES:+--pages "$$PAGES"}

# The door of a 500-person 早餐会: the scans posted over loopback to gunicorn by a pool of phones within a minute,
# p50/p95/max server time, none lost or doubled (bench/results/checkin-<date>.md). INVITEES=500 SESSIONS=12
# DURATION=50 (seconds; 0: at once) WORKERS=2; PostgreSQL too under scripts/with-postgres.sh.
.PHONY: bench-checkin
bench-checkin: $(STAMP)
	$(BIN)/python bench/bench_checkin.py --invitees $${INVITEES:-500} --sessions $${SESSIONS:-12} \
		--seconds $${DURATION:-50} --workers $${WORKERS:-2}

# The production layout of deploy/ on loopback (PostgreSQL from scripts/with-postgres.sh, Redis, a Huey worker, two
# gunicorn app servers behind nginx with TLS, the production profile) under a mixed load while deploy/rolling-restart.sh
# runs ROUNDS=2 times: every answer counted, exit 1 on a failed request (bench/results/deploy-<date>.md). SECONDS_=90
# CLIENTS=6. Installs nginx, redis-server, openssl and curl from Debian when missing.
.PHONY: bench-deploy
bench-deploy: $(STAMP)
	scripts/with-postgres.sh $(BIN)/python bench/bench_deploy.py --seconds $${SECONDS_:-90} --clients $${CLIENTS:-6} \
		--rounds $${ROUNDS:-2}

# The soak: the same stack for SECONDS_=3600 with no restart, at city scale (SCALE=city: gen_scale --lean, ~10 min to
# build) and a bounded load (RATE=20 requests/s over CLIENTS=6), every process's memory sampled every 30 s (first,
# peak, last, trend MB/hour) and the audit chain verified after (bench/results/deploy-<date>.md).
.PHONY: bench-soak
bench-soak: $(STAMP)
	scripts/with-postgres.sh $(BIN)/python bench/bench_deploy.py --seconds $${SECONDS_:-3600} --clients $${CLIENTS:-6} \
		--rounds 0 --sample $${SAMPLE:-30} --scale $${SCALE:-city} --rate $${RATE:-20}

# 领导驾驶舱 (reports:dashboard and dashboard.build) at the demo district and a district of 20,000 firms (~110,000
# appeals), p50/p95 and queries (the count must not move with the size), next to hand-written SQL for its main
# figures (bench/results/dashboard-<date>.md). SIZES="1500 20000" (each built with seed_demo) REQUESTS=20;
# DB="20000=/path/to/var-dir" to use a copy of a district built before instead of building it. A province on
# PostgreSQL, read in place (gen_scale --scale province into it first; the first login gives the hand SQL's scope):
#   make bench-dashboard SIZES=1000000 DB=1000000=/tmp/pgprov URL=1000000=$(scripts/pgcity.sh url province) \
#        LOGINS="province leader" NAME=province REQUESTS=10
.PHONY: bench-dashboard
bench-dashboard: $(STAMP)
	$(BIN)/python bench/bench_dashboard.py --sizes $${SIZES:-1500 20000} --requests $${REQUESTS:-20} \
		$(foreach db,$(DB),--db $(db)) $(foreach url,$(URL),--url $(url)) $${LOGINS:+--logins $$LOGINS} \
		$${NAME:+--name $$NAME}
