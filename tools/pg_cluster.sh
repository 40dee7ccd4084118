#!/usr/bin/env bash
# A throwaway PostgreSQL cluster on a loopback port, for the test suite.
#
#   tools/pg_cluster.sh start   # prints the superuser's URL; export it as CONGTAC12_TEST_PG
#   tools/pg_cluster.sh stop
#
# Needs PostgreSQL's server programs (Debian: apt-get install postgresql).
# The cluster lives in $CONGTAC12_PG_DIR (default /tmp/congtac12-pg), listens
# on 127.0.0.1:$CONGTAC12_PG_PORT (default 55432), asks every login for its
# password (scram-sha-256), and trades durability for speed (fsync off): it is
# for tests only. As root, the server runs as the 'postgres' user.
set -euo pipefail

dir=${CONGTAC12_PG_DIR:-/tmp/congtac12-pg}
port=${CONGTAC12_PG_PORT:-55432}
superuser=congtac12_test

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [[ -z "$bindir" ]]; then
    if command -v pg_ctl >/dev/null; then
        bindir=$(dirname "$(command -v pg_ctl)")
    else
        echo "pg_cluster: no PostgreSQL server programs found (Debian: apt-get install postgresql)" >&2
        exit 1
    fi
fi

as_owner() {
    if [[ $(id -u) == 0 ]]; then
        # From /, which 'postgres' may enter (the caller's folder may be private).
        (cd / && runuser -u postgres -- "$@")
    else
        "$@"
    fi
}

case "${1:-}" in
start)
    if [[ -f "$dir/url" ]] && as_owner "$bindir/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
        cat "$dir/url"
        exit 0
    fi
    rm -rf "$dir"
    mkdir -p "$dir"
    password=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
    printf '%s\n' "$password" > "$dir/pwfile"
    if [[ $(id -u) == 0 ]]; then
        chown -R postgres: "$dir"
    fi
    chmod 700 "$dir"
    as_owner "$bindir/initdb" -D "$dir/data" -U "$superuser" --pwfile="$dir/pwfile" \
        --auth=scram-sha-256 -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
    rm -f "$dir/pwfile"
    as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
        start >/dev/null \
        || { cat "$dir/server.log" >&2; exit 1; }
    url="postgresql://$superuser:$password@127.0.0.1:$port/postgres"
    printf '%s\n' "$url" > "$dir/url"
    echo "$url"
    ;;
stop)
    if [[ -d "$dir/data" ]]; then
        as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
*)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
