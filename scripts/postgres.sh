# Private, throw-away PostgreSQL server for the test suite. Source it, then:
#   postgres_start      starts a server on a free 127.0.0.1 port in a temporary directory,
#                       exports VOLIERE_PG_URL (postgres://postgres@127.0.0.1:PORT/voliere)
#   postgres_stop       stops it and removes the directory (safe to call twice)
# Trust authentication, listening on 127.0.0.1 only, durability off (fsync) since the data
# dies with the run. PostgreSQL refuses to run as root, so as root it runs as the `postgres`
# system user (created by Debian's postgresql package).

PG_TMP=""
PG_BIN=""

postgres_bin() {
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    if [[ -n "$dir" && -x "$dir/initdb" ]]; then
        echo "$dir"
    elif command -v initdb >/dev/null 2>&1; then
        dirname "$(command -v initdb)"
    fi
}

_pg_as_owner() {
    if [[ "$(id -u)" == "0" ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

_pg_free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

postgres_start() {
    PG_BIN=$(postgres_bin)
    if [[ -z "$PG_BIN" ]]; then
        echo "postgres.sh: no PostgreSQL server binaries (apt-get install postgresql)" >&2
        return 1
    fi
    if [[ "$(id -u)" == "0" ]] && ! id postgres >/dev/null 2>&1; then
        useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
    fi
    PG_TMP=$(mktemp -d /tmp/voliere-pg.XXXXXX)
    if [[ "$(id -u)" == "0" ]]; then
        chown postgres: "$PG_TMP"
    fi
    _pg_as_owner "$PG_BIN/initdb" -D "$PG_TMP/data" -U postgres --auth=trust \
        --encoding=UTF8 --locale=C.UTF-8 --no-instructions >"$PG_TMP/initdb.log" 2>&1 || {
        cat "$PG_TMP/initdb.log" >&2
        return 1
    }
    local port attempt
    for attempt in 1 2 3; do
        port=$(_pg_free_port)
        if _pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_TMP/data" -l "$PG_TMP/server.log" -w -t 60 \
            -o "-p $port -k $PG_TMP -c listen_addresses=127.0.0.1 -c fsync=off \
                -c synchronous_commit=off -c full_page_writes=off -c max_connections=100" \
            start >/dev/null; then
            break
        fi
        if [[ "$attempt" == 3 ]]; then
            cat "$PG_TMP/server.log" >&2
            return 1
        fi
    done
    _pg_as_owner "$PG_BIN/createdb" -h 127.0.0.1 -p "$port" -U postgres voliere || return 1
    export VOLIERE_PG_URL="postgres://postgres@127.0.0.1:$port/voliere"
    echo "postgres.sh: PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}')" \
        "on 127.0.0.1:$port (data in $PG_TMP)"
}

postgres_stop() {
    if [[ -n "$PG_TMP" && -d "$PG_TMP/data" ]]; then
        _pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_TMP/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    if [[ -n "$PG_TMP" ]]; then
        rm -rf "$PG_TMP"
    fi
    PG_TMP=""
}
