#!/usr/bin/env bash
# The `make demo` walk-through: starts e6data-local, registers a private DSN `e6data-local`,
# queries it through unixODBC's isql, then switches the engine from blue to green while a
# connection is open and shows the driver's strategy attributes before and after.
#
# Needs E6DATA_LOCAL_BIN and E6DATA_ODBC_DRIVER (the Makefile sets both after building).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=tests/harness/engine.sh
source "$repo/tests/harness/engine.sh"

build_dir="${BUILD_DIR:-$repo/build}"
demo_dir="$build_dir/demo"
odbc_dir="$build_dir/odbc"
driver="${E6DATA_ODBC_DRIVER:?E6DATA_ODBC_DRIVER must name libe6data_odbc.so}"
dsn="e6data-local"
mkdir -p "$demo_dir"

bold=""
reset=""
if [[ -t 1 ]]; then
    bold=$'\e[1m'
    reset=$'\e[0m'
fi

step() {
    printf '\n%s==> %s%s\n' "$bold" "$*" "$reset"
}

show() {
    printf '    $ %s\n' "$*"
}

# sql TEXT: runs one statement through isql on the DSN (columns at most 42 characters wide);
# fails the demo on any SQL error.
sql() {
    show "echo \"$1\" | isql $dsn -b -m42"
    local out
    out="$(printf '%s\n' "$1" | isql "$dsn" -b -m42 2>&1)" || true
    printf '%s\n' "$out" | sed 's/^/    /'
    if grep -q '\[ISQL\]ERROR' <<<"$out"; then
        echo "demo: the query failed (see the error above)" >&2
        exit 1
    fi
}

# Condenses the probe's output: each step, then the attributes it left behind; the full state
# JSON (attribute 16387) once at the end.
pretty_probe() {
    awk -v dsn="$dsn" '
        BEGIN { printf "    CONNECT  DSN=%s\n", dsn }
        /^# step [0-9]+: sql / { sub(/^# step [0-9]+: sql /, ""); printf "    SQL      %s\n", $0; next }
        /^# step [0-9]+: shell / || /^# [0-9]+ row\(s\)/ { next }
        /^active=/ {
            active = $0; sub(/^active=/, "", active); sub(/ pending=.*/, "", active)
            pending = $0; sub(/^.* pending=/, "", pending); sub(/ state=.*/, "", pending)
            state = $0; sub(/^.* state=/, "", state)
            printf "             -> active=%s pending=%s\n", active, (pending == "" ? "(none)" : pending)
            next
        }
        { print "    " $0 }
        END { if (state != "") print "    state (16387): " state }
    '
}

status_json() {
    engine_ctl status | python3 -c '
import json, sys
s = json.load(sys.stdin)
keys = ("active_strategy", "accepted_strategies", "pending_switch", "cluster_status",
        "open_queries", "sessions", "requests_by_colour")
for k in keys:
    if k in s:
        print(f"    {k:20} {json.dumps(s[k])}")
' 2>/dev/null || engine_ctl status | sed 's/^/    /'
}

probe="$demo_dir/strategy_attrs"
gcc -std=c11 -O1 -I"$repo/installer/include" "$repo/tests/c/strategy_attrs.c" -lodbc -o "$probe"

step "Starting e6data-local (TPC-H SF 0.01 generated in memory, schema demo)"
listen_addr=127.0.0.1:0
if port_is_free 50051; then
    listen_addr=127.0.0.1:50051
fi
trap 'engine_stop; echo; echo "e6data-local stopped."' EXIT
trap 'exit 130' INT TERM
engine_start "$demo_dir/engine" --listen "$listen_addr"
echo "    e6data-local listening on $ENGINE_ADDR (pid $ENGINE_PID, logs in $demo_dir/engine)"

step "Registering the driver and a private DSN '$dsn' (user-level, nothing in /etc)"
show "installer/register.sh --user $odbc_dir --dsn $dsn --host $ENGINE_HOST --port $ENGINE_PORT --uid demo --pwd demo --catalog local --schema tpch"
exports="$("$repo/installer/register.sh" --driver "$driver" --user "$odbc_dir" --dsn "$dsn" \
    --host "$ENGINE_HOST" --port "$ENGINE_PORT" --uid demo --pwd demo --catalog local --schema tpch 2>/dev/null)"
eval "$exports"
export ODBCSYSINI ODBCINI
echo "    $exports"

step "Queries through isql (SQLConnect + SQLPrepare/SQLExecute)"
sql "select count(*) as lineitem_rows from lineitem"
sql "select l_returnflag, l_linestatus, count(*) as line_count, sum(l_quantity) as sum_qty from lineitem group by l_returnflag, l_linestatus order by l_returnflag, l_linestatus"
sql "select n_name, count(*) as customers from customer join nation on c_nationkey = n_nationkey group by n_name order by customers desc, n_name limit 5"
sql "select id, int_col, dec_38_10, str_col, date_col, tstz_ny_col, array_col from demo.all_types order by id"

step "Engine status before the switch"
status_json

step "Blue -> green switch on an open connection"
echo "    One ODBC connection runs a query, the engine switches to green (2 s drain), the"
echo "    connection runs more queries. After connecting and after each step the probe"
echo "    (tests/c/strategy_attrs.c) reads the driver's connection attributes 16385 (active"
echo "    colour), 16386 (pending colour) and 16387 (state JSON)."
echo
ctl_cmd="$E6DATA_LOCAL_BIN ctl --target $ENGINE_ADDR"
"$probe" "DSN=$dsn" \
    "select count(*) from lineitem" \
    "!echo '\$ e6data-local ctl switch --to green --drain-secs 2' >&2; $ctl_cmd switch --to green --drain-secs 2 >/dev/null" \
    "select count(*) from orders" \
    "!echo '(3 s pass: the drain ends and blue is withdrawn)' >&2; sleep 3" \
    "select count(*) from customer" 2>&1 | pretty_probe

step "Queries again, from new processes (now on green)"
sql "select count(*) as orders_rows from orders"
echo "    A new connection reads the attributes:"
"$probe" "DSN=$dsn" 2>&1 | pretty_probe

step "Engine status after the switch"
status_json

echo
echo "Demo finished: the active strategy moved from blue to green without a failed query."
