#!/usr/bin/env bash
# Makes sure the PostgreSQL the tests use answers on 127.0.0.1:5432 with trust authentication and a database
# `test`: starts Debian's cluster when it is installed but stopped, installs it from apt when it is missing.
# Runs before `npm test`. TRENT_TEST_POSTGRES_URL set: that server is used as it is, and nothing is started.
set -euo pipefail

[ -n "${TRENT_TEST_POSTGRES_URL:-}" ] && exit 0
ready() { psql -h 127.0.0.1 -p 5432 -U postgres -d test -Atc 'select 1' >/dev/null 2>&1; }
ready && exit 0

if [ "$(id -u)" -eq 0 ]; then sudo=""; elif command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
  echo "PostgreSQL is not answering on 127.0.0.1:5432 and this user cannot start it (not root, no sudo)." >&2
  echo "Start one with trust authentication and a database named test, or set TRENT_TEST_POSTGRES_URL." >&2
  exit 1
fi

if ! command -v pg_ctlcluster >/dev/null 2>&1 || [ -z "$(pg_lsclusters -h 2>/dev/null)" ]; then
  echo "PostgreSQL missing; installing it from apt" >&2
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq postgresql >/dev/null
fi

read -r version cluster port _ < <(pg_lsclusters -h | head -1)
conf="/etc/postgresql/$version/$cluster"
# Loopback connections trust, as the tests (and the developers' guide) expect of this machine's server.
if ! grep -q '^host all all 127.0.0.1/32 trust' "$conf/pg_hba.conf"; then
  $sudo sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$conf/pg_hba.conf"
fi
if [ "$port" != 5432 ]; then $sudo sed -i "s/^port = .*/port = 5432/" "$conf/postgresql.conf"; fi
$sudo pg_ctlcluster "$version" "$cluster" restart || $sudo pg_ctlcluster "$version" "$cluster" start
for _ in $(seq 1 50); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 0.2; done
psql -h 127.0.0.1 -p 5432 -U postgres -d postgres -Atc "select 1 from pg_database where datname = 'test'" | grep -q 1 ||
  psql -h 127.0.0.1 -p 5432 -U postgres -d postgres -qc 'create database test'
ready
