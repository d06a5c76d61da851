#!/usr/bin/env bash
# `./dev test` against a PostgreSQL server named by PG*, as the README offers:
# a server with trust authentication, PGHOST/PGPORT/PGUSER set, no PGPASSWORD.
#
#   scripts/test_pg_server.sh        (called by .ci/run after ./dev test)
#
# Starts a throwaway PostgreSQL (15 unless PG_BINDIR says otherwise) listening
# on 127.0.0.1 only, on a free port, with trust authentication and its own data
# directory; creates a role that may create databases (not a superuser); runs
# ./dev test against it, restricted to one quick test class (ESS_TEST_TAGS,
# default /ess_network:TestEmploymentArea) and without the linters (./dev test
# has just run them); checks from the server's log that
# the test database was made there; stops and removes the server in every case.
# Exits non-zero when the run or the check fails.
set -Eeuo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PG_BINDIR=${PG_BINDIR:-/usr/lib/postgresql/15/bin}
ROLE=ess_pg_server_test
DB=ess_pg_server_test_$$

say() { printf '\033[1m[pg-server]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[31m[pg-server] %s\033[0m\n' "$*" >&2; exit 1; }
trap 'die "failed (exit status $?) at line $LINENO: $BASH_COMMAND"' ERR

[ -x "$PG_BINDIR/initdb" ] || die "no PostgreSQL in $PG_BINDIR (set PG_BINDIR to the bin directory of a PostgreSQL)"

tmp=$(mktemp -d -t ess_pg_server_XXXX)
data=$tmp/data
run=()
if [ "$(id -u)" = 0 ]; then
    run=(runuser -u postgres --)
    chown postgres: "$tmp"
fi
cleanup() {
    if "${run[@]}" "$PG_BINDIR/pg_ctl" -D "$data" status >/dev/null 2>&1; then
        "${run[@]}" "$PG_BINDIR/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1 \
            || "${run[@]}" "$PG_BINDIR/pg_ctl" -D "$data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
say "starting a throwaway PostgreSQL $("$PG_BINDIR/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (trust authentication, data in $data)"
"${run[@]}" "$PG_BINDIR/initdb" -D "$data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
cat >> "$data/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = ''
log_connections = on
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
"${run[@]}" "$PG_BINDIR/pg_ctl" -D "$data" -l "$tmp/server.log" -w -t 60 start >/dev/null \
    || { cat "$tmp/server.log" >&2; die "the throwaway PostgreSQL did not start (its log is above)"; }
"$PG_BINDIR/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -qc "CREATE ROLE $ROLE LOGIN CREATEDB"

say "./dev test with PGHOST=127.0.0.1 PGPORT=$port PGUSER=$ROLE and no PGPASSWORD"
set +e
env -u PGPASSWORD PGHOST=127.0.0.1 PGPORT="$port" PGUSER="$ROLE" ESS_TEST_DB="$DB" \
    ESS_TEST_TAGS="${ESS_TEST_TAGS:-/ess_network:TestEmploymentArea}" ESS_TEST_LINT=0 \
    "$REPO/dev" test
rc=$?
set -e
if ! grep -q "connection authorized: user=$ROLE database=$DB" "$tmp/server.log"; then
    die "./dev test did not make its database $DB on the server named by PG* (exit status $rc)"
fi
[ "$rc" = 0 ] || die "./dev test failed against the server named by PG* (exit status $rc)"
say "./dev test passed against the server named by PG* (its database $DB was made there)"
