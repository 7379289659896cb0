# shellcheck shell=bash
# Minimal assertions for the shell test runners (tests/isql/run.sh, tests/c/run.sh).
# Each check prints `ok - NAME` or `FAIL - NAME` (with details); `finish LABEL` prints the closing
# `LABEL: N passed, N failed` line and returns non-zero if anything failed.

TESTS_PASSED=0
TESTS_FAILED=0

pass() {
    TESTS_PASSED=$((TESTS_PASSED + 1))
    echo "ok - $1"
}

fail() {
    TESTS_FAILED=$((TESTS_FAILED + 1))
    echo "FAIL - $1"
    shift
    local line
    for line in "$@"; do
        printf '    %s\n' "$line"
    done
}

# expect_eq NAME EXPECTED ACTUAL
expect_eq() {
    if [[ "$2" == "$3" ]]; then
        pass "$1"
    else
        fail "$1" "expected: $2" "actual:   $3"
    fi
}

# expect_match NAME REGEX TEXT
expect_match() {
    if [[ "$3" =~ $2 ]]; then
        pass "$1"
    else
        fail "$1" "expected to match: $2" "actual: $3"
    fi
}

# finish LABEL: LABEL is one word, e.g. `isql`.
finish() {
    echo "$1: $TESTS_PASSED passed, $TESTS_FAILED failed"
    ((TESTS_FAILED == 0))
}
