# shellcheck shell=bash
# Start, drive and stop an e6data-local engine from a shell script. Source this file, then:
#
#   engine_start LOGDIR [serve options...]   starts `e6data-local serve`, waits for its
#                                            `listening on ADDR` line; sets ENGINE_PID,
#                                            ENGINE_ADDR (host:port), ENGINE_HOST, ENGINE_PORT
#   engine_ctl ARGS...                        runs `e6data-local ctl --target $ENGINE_ADDR ARGS...`
#   engine_stop                               stops the engine started by engine_start
#
# The binary is $E6DATA_LOCAL_BIN. The listen address defaults to 127.0.0.1:0 (a free port);
# pass `--listen ADDR` among the serve options to choose one. Stdout and stderr of the engine go
# to LOGDIR/engine.out and LOGDIR/engine.err.

# shellcheck disable=SC2034  # ENGINE_HOST and ENGINE_PORT are for the scripts that source this.
ENGINE_PID=""
ENGINE_ADDR=""
ENGINE_HOST=""
ENGINE_PORT=""
ENGINE_START_TIMEOUT="${ENGINE_START_TIMEOUT:-120}"

engine_start() {
    local logdir="$1"
    shift
    local bin="${E6DATA_LOCAL_BIN:?E6DATA_LOCAL_BIN must name the e6data-local binary}"
    if [[ ! -x "$bin" ]]; then
        echo "engine: $bin is not an executable; build it with 'make build'" >&2
        return 1
    fi
    local listen=(--listen 127.0.0.1:0)
    local arg
    for arg in "$@"; do
        if [[ "$arg" == --listen || "$arg" == --listen=* ]]; then
            listen=()
        fi
    done
    mkdir -p "$logdir"
    : >"$logdir/engine.out"
    "$bin" serve "${listen[@]}" "$@" >"$logdir/engine.out" 2>"$logdir/engine.err" &
    ENGINE_PID=$!
    local waited=0 line=""
    while ((waited < ENGINE_START_TIMEOUT * 10)); do
        line="$(grep -m1 '^listening on ' "$logdir/engine.out" || true)"
        if [[ -n "$line" ]]; then
            break
        fi
        if ! kill -0 "$ENGINE_PID" 2>/dev/null; then
            echo "engine: e6data-local exited before listening; its stderr:" >&2
            tail -n 20 "$logdir/engine.err" >&2
            ENGINE_PID=""
            return 1
        fi
        sleep 0.1
        waited=$((waited + 1))
    done
    if [[ -z "$line" ]]; then
        echo "engine: no 'listening on' line within ${ENGINE_START_TIMEOUT}s; see $logdir/engine.err" >&2
        engine_stop
        return 1
    fi
    ENGINE_ADDR="${line#listening on }"
    ENGINE_ADDR="${ENGINE_ADDR%%[[:space:]]*}"
    ENGINE_HOST="${ENGINE_ADDR%:*}"
    ENGINE_PORT="${ENGINE_ADDR##*:}"
}

engine_ctl() {
    "${E6DATA_LOCAL_BIN:?}" ctl --target "${ENGINE_ADDR:?engine not started}" "$@"
}

engine_stop() {
    if [[ -n "$ENGINE_PID" ]]; then
        kill "$ENGINE_PID" 2>/dev/null || true
        local _
        for _ in $(seq 1 50); do
            kill -0 "$ENGINE_PID" 2>/dev/null || break
            sleep 0.1
        done
        kill -9 "$ENGINE_PID" 2>/dev/null || true
        wait "$ENGINE_PID" 2>/dev/null || true
        ENGINE_PID=""
    fi
}

# Succeeds when nothing listens on 127.0.0.1:PORT.
port_is_free() {
    ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}
