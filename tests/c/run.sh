#!/usr/bin/env bash
# C test: builds tests/c/strategy_attrs.c and checks the three strategy connection attributes
# (16385-16387) through the unixODBC driver manager before and after a blue -> green switch.
#
# Needs E6DATA_LOCAL_BIN (the engine) and E6DATA_ODBC_DRIVER (libe6data_odbc.so); `make test-c`
# sets both. Starts its own e6data-local on a free port and stops it on exit.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=tests/harness/engine.sh
source "$repo/tests/harness/engine.sh"
# shellcheck source=tests/harness/testlib.sh
source "$repo/tests/harness/testlib.sh"

build_dir="${BUILD_DIR:-$repo/build}/c-test"
driver="${E6DATA_ODBC_DRIVER:?E6DATA_ODBC_DRIVER must name libe6data_odbc.so}"
probe="$build_dir/strategy_attrs"
mkdir -p "$build_dir"

gcc -std=c11 -Wall -Wextra -Werror -O1 -I"$repo/installer/include" \
    "$repo/tests/c/strategy_attrs.c" -lodbc -o "$probe"

trap engine_stop EXIT
engine_start "$build_dir/engine"
echo "# e6data-local on $ENGINE_ADDR"

eval "$("$repo/installer/register.sh" --driver "$driver" --user "$build_dir/odbc" 2>/dev/null)"
export ODBCSYSINI ODBCINI
conn="Driver=e6data;Host=$ENGINE_HOST;Port=$ENGINE_PORT;UID=demo;PWD=demo;Catalog=local;Schema=tpch"
ctl="$E6DATA_LOCAL_BIN ctl --target $ENGINE_ADDR"

# field LINE NAME: the value of NAME= in an `active=.. pending=.. state=..` line.
field() {
    local line="$1" name="$2"
    case "$name" in
        active) line="${line#active=}"; echo "${line%% pending=*}" ;;
        pending) line="${line#* pending=}"; echo "${line%% state=*}" ;;
        state) echo "${line#* state=}" ;;
    esac
}

# check_state NAME LINE: the state JSON parses and its `active` agrees with the active= field.
check_state() {
    local name="$1" line="$2" result
    result="$(field "$line" state | python3 -c '
import json, sys
state = json.load(sys.stdin)
assert isinstance(state, dict), "state is not a JSON object"
print(state.get("active") or "")
' 2>&1)" || {
        fail "$name: state is a JSON object" "$result" "line: $line"
        return
    }
    expect_eq "$name: state.active agrees with attribute 16385" "$(field "$line" active)" "$result"
}

# 1. A fresh connection: the engine starts on blue, nothing pending.
if out="$("$probe" "$conn" 2>"$build_dir/probe1.err")"; then
    pass "connect and read attributes (A and W agree)"
    expect_eq "fresh connection: active" "blue" "$(field "$out" active)"
    expect_eq "fresh connection: pending" "" "$(field "$out" pending)"
    check_state "fresh connection" "$out"
else
    fail "connect and read attributes" "$(cat "$build_dir/probe1.err")"
fi

# 2. One connection across a switch: query, switch with a 2 s drain, query, wait out the
#    drain, query again. The colour must move from blue to green on that same connection.
if out="$("$probe" "$conn" \
    "select count(*) from lineitem" \
    "!$ctl switch --to green --drain-secs 2 >/dev/null" \
    "select count(*) from orders" \
    "!sleep 3" \
    "select count(*) from nation" 2>"$build_dir/probe2.err")"; then
    pass "queries and attribute reads across a switch"
    mapfile -t lines <<<"$out"
    expect_eq "one attribute line after connect and after each of 5 steps" "6" "${#lines[@]}"
    expect_eq "before the switch: active" "blue" "$(field "${lines[1]:-}" active)"
    after_switch="$(field "${lines[3]:-}" active)/$(field "${lines[3]:-}" pending)"
    expect_match "first query after the switch: green is active or pending" \
        '^(green/|blue/green)$' "$after_switch"
    expect_eq "after the drain: active" "green" "$(field "${lines[5]:-}" active)"
    expect_eq "after the drain: pending" "" "$(field "${lines[5]:-}" pending)"
    check_state "after the drain" "${lines[5]:-}"
else
    fail "queries and attribute reads across a switch" "$(cat "$build_dir/probe2.err")"
fi

# 3. A new connection after the switch finds green.
if out="$("$probe" "$conn" "select 1" 2>"$build_dir/probe3.err")"; then
    expect_eq "new connection after the switch: active" "green" \
        "$(field "$(tail -n1 <<<"$out")" active)"
else
    fail "new connection after the switch" "$(cat "$build_dir/probe3.err")"
fi

# 4. Errors: a bad password exits non-zero and prints SQLSTATE 28000.
if "$probe" "${conn/PWD=demo/PWD=wrong}" >/dev/null 2>"$build_dir/probe4.err"; then
    fail "bad password is an error" "the probe exited 0"
else
    expect_match "bad password reports SQLSTATE 28000" 'SQLSTATE=28000' \
        "$(cat "$build_dir/probe4.err")"
fi

finish c-test
