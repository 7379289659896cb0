#!/usr/bin/env bash
# isql/iusql tests: every case in tests/isql/cases runs through unixODBC's command-line clients
# against a private DSN pointing at a fresh e6data-local, in four modes:
#
#   isql       DSN, SQLPrepare + SQLExecute (ANSI functions)
#   isql-e     DSN, SQLExecDirect
#   isql-k     connection string through SQLDriverConnect (Driver=e6data;Host=...)
#   iusql      DSN, the wide (UTF-16) functions
#
# Case files:
#   cases/NAME.sql   one SQL statement per line (isql's batch format)
#   cases/NAME.out   expected stdout, exactly (trailing blanks of each line ignored); the case
#                    must not report any error
#   cases/NAME.err   instead of .out: a negative case. The client must report an error
#                    ([ISQL]ERROR) and every line of NAME.err is an extended regex that must match
#                    the output (isql modes; iusql prints no SQLSTATE, so only the error is checked)
#   cases/NAME.iusql.out  optional: what iusql prints instead of NAME.out (see below)
#   cases/NAME.modes      optional: the modes to run, one per line (default: all four)
#
# isql -b exits 0 on SQL errors, so the runner reads the output for `[ISQL]ERROR` itself. `-v`
# makes isql print the diagnostic records of an error. isql is an ODBC 2 application, so the
# driver manager reports the driver's 42000 as 37000 to it.
#
# iusql converts its input to UTF-16 by widening each byte and its output back by narrowing each
# code unit: text beyond ASCII only round-trips by accident (a UTF-8 emoji typed in the SQL
# arrives as four Latin-1 characters), and real non-BMP data prints truncated. Cases with
# non-ASCII data therefore skip iusql or give iusql its own expectation.
# Needs E6DATA_LOCAL_BIN and E6DATA_ODBC_DRIVER (`make test-isql` sets both). Pass case names
# as arguments to run only those.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=tests/harness/engine.sh
source "$repo/tests/harness/engine.sh"
# shellcheck source=tests/harness/testlib.sh
source "$repo/tests/harness/testlib.sh"

cases_dir="$repo/tests/isql/cases"
work="${BUILD_DIR:-$repo/build}/isql-test"
driver="${E6DATA_ODBC_DRIVER:?E6DATA_ODBC_DRIVER must name libe6data_odbc.so}"
rm -rf "$work"
mkdir -p "$work/out"

trap engine_stop EXIT
engine_start "$work/engine"
echo "# e6data-local on $ENGINE_ADDR"

dsn="e6data-isql-test"
eval "$("$repo/installer/register.sh" --driver "$driver" --user "$work/odbc" --dsn "$dsn" \
    --host "$ENGINE_HOST" --port "$ENGINE_PORT" --uid demo --pwd demo \
    --catalog local --schema tpch 2>/dev/null)"
export ODBCSYSINI ODBCINI
conn="Driver=e6data;Host=$ENGINE_HOST;Port=$ENGINE_PORT;UID=demo;PWD=demo;Catalog=local;Schema=tpch"

# run_client MODE SQLFILE OUTFILE: runs the case in one mode; stdout+stderr go to OUTFILE.
run_client() {
    local mode="$1" sql="$2" out="$3" status=0
    case "$mode" in
        isql) isql "$dsn" -b -v -d'|' <"$sql" >"$out" 2>&1 || status=$? ;;
        isql-e) isql "$dsn" -b -v -e -d'|' <"$sql" >"$out" 2>&1 || status=$? ;;
        isql-k) isql -k "$conn" -b -v -d'|' <"$sql" >"$out" 2>&1 || status=$? ;;
        iusql) iusql "$dsn" -b -v -d'|' <"$sql" >"$out" 2>&1 || status=$? ;;
    esac
    return "$status"
}

normalise() {
    sed -e 's/\r$//' -e 's/[[:space:]]*$//' "$1"
}

selected=("$@")
shopt -s nullglob
for sql in "$cases_dir"/*.sql; do
    name="$(basename "$sql" .sql)"
    if ((${#selected[@]} > 0)) && [[ " ${selected[*]} " != *" $name "* ]]; then
        continue
    fi
    modes=(isql isql-e isql-k iusql)
    if [[ -f "$cases_dir/$name.modes" ]]; then
        mapfile -t modes < <(grep -v '^[[:space:]]*$' "$cases_dir/$name.modes")
    fi
    for mode in "${modes[@]}"; do
        out="$work/out/$name.$mode.txt"
        expected="$cases_dir/$name.out"
        if [[ "$mode" == iusql && -f "$cases_dir/$name.iusql.out" ]]; then
            expected="$cases_dir/$name.iusql.out"
        fi
        status=0
        run_client "$mode" "$sql" "$out" || status=$?
        label="$name [$mode]"
        if [[ -f "$cases_dir/$name.err" ]]; then
            if ! grep -q '\[ISQL\]ERROR' "$out"; then
                fail "$label reports an error" "no [ISQL]ERROR in:" "$(cat "$out")"
                continue
            fi
            missing=()
            if [[ "$mode" != iusql ]]; then
                while IFS= read -r pattern; do
                    [[ -z "$pattern" ]] && continue
                    grep -Eq -- "$pattern" "$out" || missing+=("$pattern")
                done <"$cases_dir/$name.err"
            fi
            if ((${#missing[@]} == 0)); then
                pass "$label reports the expected error"
            else
                fail "$label reports the expected error" "missing: ${missing[*]}" "output:" \
                    "$(cat "$out")"
            fi
        elif [[ -f "$expected" ]]; then
            if ((status != 0)) || grep -q '\[ISQL\]ERROR' "$out"; then
                fail "$label runs without error" "exit status $status; output:" "$(cat "$out")"
            elif diff_out="$(diff <(normalise "$expected") <(normalise "$out"))"; then
                pass "$label output"
            else
                fail "$label output" "diff expected actual:" "$diff_out"
            fi
        else
            fail "$name has an expectation" "add $cases_dir/$name.out or $name.err"
        fi
    done
done

finish isql
