#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# PostgreSQL is not started here (it runs as a system service, or via Docker Compose).
# This script only makes sure the server answers and the project's database exists.
# Usage: scripts/infra/postgres.sh [ensure|status]
LOG_PREFIX=postgres
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

export PGHOST PGPORT PGUSER

ensure() {
  require_cmd psql "the PostgreSQL client, e.g. apt-get install postgresql-client"
  if ! psql -d postgres -tAc 'select 1' >/dev/null 2>&1; then
    die "PostgreSQL does not answer at $PGUSER@$PGHOST:$PGPORT (start the server, or set PGHOST/PGPORT/PGUSER)"
  fi
  local exists
  exists="$(psql -d postgres -tAc "select 1 from pg_database where datname = '${DATABASE_NAME//\'/\'\'}'")"
  if [[ "$exists" == "1" ]]; then
    info "database '$DATABASE_NAME' exists"
  else
    info "creating database '$DATABASE_NAME'"
    # A concurrent creator may win the race; only fail if the database is still missing.
    createdb "$DATABASE_NAME" 2>/dev/null ||
      [[ "$(psql -d postgres -tAc "select 1 from pg_database where datname = '${DATABASE_NAME//\'/\'\'}'")" == "1" ]] ||
      die "could not create database '$DATABASE_NAME'"
  fi
}

status() {
  if psql -d "$DATABASE_NAME" -tAc 'select 1' >/dev/null 2>&1; then
    echo "postgres: database '$DATABASE_NAME' reachable at $PGHOST:$PGPORT"
  else
    echo "postgres: database '$DATABASE_NAME' NOT reachable at $PGHOST:$PGPORT"
    return 3
  fi
}

case "${1:-ensure}" in
  ensure) ensure ;;
  status) status ;;
  *) die "usage: $0 [ensure|status]" ;;
esac
