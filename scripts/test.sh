#!/usr/bin/env bash
# Set up what the tests need that is not already running, then run them on SQLite and on
# PostgreSQL. A private redis-server is started by the tests themselves (tests/conftest.py).
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=.venv

# Headless Chromium for the browser tests (Debian's package; Playwright drives it).
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing Debian's chromium for the browser tests"
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "chromium is not installed and cannot be installed here: browser tests will be skipped"
  fi
fi

# PostgreSQL: use the one running, or start the machine's cluster if there is one.
PG_URL=${TEST_POSTGRES_URL:-postgresql://127.0.0.1:5432/test}
pg_up() { "$VENV/bin/python" -c "import psycopg,sys; psycopg.connect(sys.argv[1], connect_timeout=3).close()" "$PG_URL" 2>/dev/null; }
if ! pg_up && command -v pg_ctlcluster >/dev/null 2>&1; then
  echo "starting PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
  for _ in $(seq 20); do pg_up && break; sleep 0.5; done
fi

echo "== lint: ruff and mypy"
"$VENV/bin/ruff" check .
"$VENV/bin/mypy" channels flows knowledge gateway

echo "== tests on SQLite"
SWITCHBOARD_TEST_DB=sqlite "$VENV/bin/python" -m pytest -q -p no:cacheprovider "$@"

if pg_up; then
  echo "== database tests on PostgreSQL"
  SWITCHBOARD_TEST_DB=postgres TEST_POSTGRES_URL="$PG_URL" \
    "$VENV/bin/python" -m pytest -q -p no:cacheprovider -m db "$@"
else
  echo "PostgreSQL is not reachable at $PG_URL and could not be started" >&2
  if [ -n "${CI:-}" ]; then exit 1; fi
fi
