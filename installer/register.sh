#!/usr/bin/env bash
# Registers the e6data ODBC driver with the unixODBC driver manager and, optionally, a DSN.
#
#   installer/register.sh [--driver PATH] --user DIR   [DSN options]
#   installer/register.sh [--driver PATH] --system     [DSN options]
#
# --user DIR   writes DIR/odbcinst.ini (driver) and DIR/odbc.ini (DSNs) and prints the
#              `export ODBCSYSINI=DIR ODBCINI=DIR/odbc.ini` line that makes unixODBC use them.
#              Nothing outside DIR is touched.
# --system     registers system-wide through `odbcinst -i` (needs write access to the files
#              `odbcinst -j` names, normally root).
# --driver     the built libe6data_odbc.so; by default the first of
#              $CARGO_TARGET_DIR/{release,debug}/libe6data_odbc.so (CARGO_TARGET_DIR defaults to
#              the repository's target/).
#
# DSN options (a DSN is created only with --dsn):
#   --dsn NAME --host H --port P --uid U --pwd P [--catalog C] [--schema S] [--set KEY=VALUE ...]
#
# The driver is registered under the name `e6data`. Running the script again with the same
# arguments leaves the same files: sections are replaced, never duplicated.
set -euo pipefail

DRIVER_NAME="e6data"
script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_dir="$(cd "$script_dir/.." && pwd)"

usage() {
    sed -n '2,21p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
    exit "${1:-2}"
}

die() {
    echo "register.sh: $*" >&2
    exit 1
}

driver=""
mode=""
user_dir=""
dsn=""
host=""
port=""
uid=""
pwd_value=""
catalog=""
schema=""
extra=()

need_value() {
    [[ $# -ge 2 && -n "$2" ]] || die "option $1 needs a value (see --help)"
}

while [[ $# -gt 0 ]]; do
    case "$1" in
        --driver) need_value "$@"; driver="$2"; shift 2 ;;
        --user) need_value "$@"; mode="user"; user_dir="$2"; shift 2 ;;
        --system) mode="system"; shift ;;
        --dsn) need_value "$@"; dsn="$2"; shift 2 ;;
        --host) need_value "$@"; host="$2"; shift 2 ;;
        --port) need_value "$@"; port="$2"; shift 2 ;;
        --uid) need_value "$@"; uid="$2"; shift 2 ;;
        --pwd) need_value "$@"; pwd_value="$2"; shift 2 ;;
        --catalog) need_value "$@"; catalog="$2"; shift 2 ;;
        --schema) need_value "$@"; schema="$2"; shift 2 ;;
        --set)
            need_value "$@"
            [[ "$2" == *=* ]] || die "--set takes KEY=VALUE, got '$2'"
            extra+=("$2")
            shift 2
            ;;
        -h | --help) usage 0 ;;
        *) die "unknown argument '$1' (see --help)" ;;
    esac
done

[[ -n "$mode" ]] || die "choose --user DIR or --system (see --help)"

if [[ -z "$driver" ]]; then
    target="${CARGO_TARGET_DIR:-$repo_dir/target}"
    for candidate in "$target/release/libe6data_odbc.so" "$target/debug/libe6data_odbc.so"; do
        if [[ -f "$candidate" ]]; then
            driver="$candidate"
            break
        fi
    done
    [[ -n "$driver" ]] || die "no libe6data_odbc.so under $target/{release,debug}; build it (make build) or pass --driver PATH"
fi
[[ -f "$driver" ]] || die "driver library '$driver' does not exist; build it (make build) or fix --driver"
driver="$(cd "$(dirname "$driver")" && pwd)/$(basename "$driver")"

if [[ -n "$dsn" ]]; then
    [[ -n "$host" && -n "$port" ]] || die "--dsn needs --host and --port"
    [[ "$port" =~ ^[0-9]+$ ]] || die "--port must be a number, got '$port'"
    [[ "$dsn" != *[\[\]=]* ]] || die "a DSN name cannot contain '[', ']' or '='"
fi

driver_section() {
    printf '[%s]\n' "$DRIVER_NAME"
    printf 'Description=e6data ODBC driver (Rust)\n'
    printf 'Driver=%s\n' "$driver"
    # The driver is thread-safe; level 0 also lets SQLCancel reach it from another thread.
    printf 'Threading=0\n'
}

dsn_section() {
    printf '[%s]\n' "$dsn"
    printf 'Description=e6data at %s:%s\n' "$host" "$port"
    printf 'Driver=%s\n' "$DRIVER_NAME"
    printf 'Host=%s\n' "$host"
    printf 'Port=%s\n' "$port"
    [[ -z "$uid" ]] || printf 'UID=%s\n' "$uid"
    [[ -z "$pwd_value" ]] || printf 'PWD=%s\n' "$pwd_value"
    [[ -z "$catalog" ]] || printf 'Catalog=%s\n' "$catalog"
    [[ -z "$schema" ]] || printf 'Schema=%s\n' "$schema"
    local kv
    for kv in "${extra[@]}"; do
        printf '%s\n' "$kv"
    done
}

# replace_section FILE NAME: replaces section [NAME] of the ini FILE (created if missing) with
# the section text read from stdin, keeping every other section as it was.
replace_section() {
    local file="$1" name="$2" body tmp
    body="$(cat)"
    tmp="$(mktemp "$file.XXXXXX")"
    if [[ -f "$file" ]]; then
        awk -v name="$name" '
            /^[[:space:]]*\[/ {
                header = $0
                sub(/^[[:space:]]*\[/, "", header)
                sub(/\][[:space:]]*$/, "", header)
                skipping = (header == name)
            }
            !skipping { print }
        ' "$file" | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}' >"$tmp"
        if [[ -s "$tmp" ]]; then
            printf '\n' >>"$tmp"
        fi
    fi
    printf '%s\n' "$body" >>"$tmp"
    mv "$tmp" "$file"
}

case "$mode" in
    user)
        mkdir -p "$user_dir"
        user_dir="$(cd "$user_dir" && pwd)"
        driver_section | replace_section "$user_dir/odbcinst.ini" "$DRIVER_NAME"
        touch "$user_dir/odbc.ini"
        if [[ -n "$dsn" ]]; then
            dsn_section | replace_section "$user_dir/odbc.ini" "$dsn"
            chmod 600 "$user_dir/odbc.ini"
        fi
        echo "registered driver '$DRIVER_NAME' -> $driver in $user_dir/odbcinst.ini" >&2
        [[ -z "$dsn" ]] || echo "registered DSN '$dsn' ($host:$port) in $user_dir/odbc.ini" >&2
        echo "export ODBCSYSINI=$user_dir ODBCINI=$user_dir/odbc.ini"
        ;;
    system)
        command -v odbcinst >/dev/null 2>&1 || die "odbcinst not found; install the odbcinst package"
        tmp_dir="$(mktemp -d)"
        trap 'rm -rf "$tmp_dir"' EXIT
        driver_section >"$tmp_dir/driver.ini"
        current="$(odbcinst -q -d -n "$DRIVER_NAME" 2>/dev/null | sed -n 's/^Driver=//p' || true)"
        if [[ "$current" == "$driver" ]]; then
            echo "driver '$DRIVER_NAME' already registered system-wide -> $driver" >&2
        else
            if [[ -n "$current" ]]; then
                odbcinst -u -d -n "$DRIVER_NAME" >/dev/null
            fi
            odbcinst -i -d -f "$tmp_dir/driver.ini" >/dev/null
            echo "registered driver '$DRIVER_NAME' -> $driver system-wide" >&2
        fi
        if [[ -n "$dsn" ]]; then
            dsn_section >"$tmp_dir/dsn.ini"
            if odbcinst -q -s -l -n "$dsn" >/dev/null 2>&1; then
                odbcinst -u -s -l -n "$dsn" >/dev/null
            fi
            odbcinst -i -s -l -f "$tmp_dir/dsn.ini" >/dev/null
            echo "registered system DSN '$dsn' ($host:$port)" >&2
        fi
        ;;
esac
