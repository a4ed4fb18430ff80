#!/usr/bin/env bash
# Installs what the test suite needs beyond Python packages, when it is missing:
# Debian's Chromium (browser tests) and PostgreSQL (the database tests), and starts PostgreSQL
# with a `coopnet` role. Safe to run again; does nothing that is already done.
set -euo pipefail

need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v pg_ctlcluster >/dev/null 2>&1 || need+=(postgresql)
fc-list 2>/dev/null | grep -qi dejavu || need+=(fonts-dejavu-core)
command -v msgfmt >/dev/null 2>&1 || need+=(gettext)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then SUDO=sudo; else SUDO=; fi
  echo "installing ${need[*]} from Debian's packages"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# PostgreSQL: start the first cluster and make sure the coopnet role can create test databases.
version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
cluster=main
if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -q "^$version $cluster$"; then
  pg_createcluster "$version" "$cluster" >/dev/null
fi
if ! pg_lsclusters -h | grep "^$version $cluster" | grep -q online; then
  pg_ctlcluster "$version" "$cluster" start
fi
as_postgres() { if [ "$(id -u)" = 0 ]; then su postgres -c "$1"; else sudo -u postgres bash -c "$1"; fi; }
for _ in $(seq 1 30); do as_postgres "psql -qAt -c 'select 1'" >/dev/null 2>&1 && break; sleep 1; done
as_postgres "psql -qAt -c \"select 1 from pg_roles where rolname='coopnet'\"" | grep -q 1 \
  || as_postgres "psql -q -c \"create role coopnet login password 'coopnet' createdb\""
as_postgres "psql -qAt -c \"select 1 from pg_database where datname='coopnet'\"" | grep -q 1 \
  || as_postgres "createdb -O coopnet coopnet"
echo "test dependencies ready: $(/usr/bin/chromium --version 2>/dev/null | head -n1); PostgreSQL $version online"
