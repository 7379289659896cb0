#!/usr/bin/env bash
# Prints the closing summary of `make test` from the suite logs in DIR (build/logs):
# cargo test's `test result:` lines, pytest's summary line, the isql and C runners'
# `N passed, N failed` lines, and one total line (ignored Rust tests count as skipped).
set -euo pipefail

dir="${1:?usage: summary.sh LOGDIR}"
passed=0
failed=0
skipped=0

echo
echo "================================ test summary ================================"

if [[ -f "$dir/cargo-test.log" ]]; then
    rust_passed=0 rust_failed=0 rust_ignored=0 binaries=0
    while read -r p f i; do
        rust_passed=$((rust_passed + p))
        rust_failed=$((rust_failed + f))
        rust_ignored=$((rust_ignored + i))
        binaries=$((binaries + 1))
    done < <(sed -n 's/^test result: [A-Za-z]*\. \([0-9]*\) passed; \([0-9]*\) failed; \([0-9]*\) ignored.*/\1 \2 \3/p' "$dir/cargo-test.log")
    echo "cargo test ($binaries test binaries):"
    grep '^test result: ' "$dir/cargo-test.log" | sed 's/^/  /' || true
    # A compile error (or a test binary that crashed) leaves no failing `test result:` line.
    if grep -q '^error' "$dir/cargo-test.log" && ((rust_failed == 0)); then
        echo "  cargo test reported errors (see $dir/cargo-test.log)"
        rust_failed=1
    fi
    echo "rust: $rust_passed passed, $rust_failed failed, $rust_ignored skipped"
    passed=$((passed + rust_passed))
    failed=$((failed + rust_failed))
    skipped=$((skipped + rust_ignored))
else
    echo "rust: not run"
    failed=$((failed + 1))
fi

for suite in isql c-test; do
    line=""
    if [[ -f "$dir/$suite.log" ]]; then
        line="$(grep -E "^$suite: [0-9]+ passed, [0-9]+ failed" "$dir/$suite.log" | tail -n1 || true)"
    fi
    if [[ -z "$line" ]]; then
        echo "$suite: did not finish (see $dir/$suite.log)"
        failed=$((failed + 1))
        continue
    fi
    echo "$line"
    p="$(sed -E 's/^[^:]*: ([0-9]+) passed, ([0-9]+) failed.*/\1/' <<<"$line")"
    f="$(sed -E 's/^[^:]*: ([0-9]+) passed, ([0-9]+) failed.*/\2/' <<<"$line")"
    passed=$((passed + p))
    failed=$((failed + f))
done

line=""
if [[ -f "$dir/pytest.log" ]]; then
    line="$(grep -E '^=+ .*(passed|failed|error|skipped|no tests ran).* in [0-9.]+s' "$dir/pytest.log" | tail -n1 || true)"
fi
if [[ -z "$line" ]]; then
    echo "pytest: did not finish (see $dir/pytest.log)"
    failed=$((failed + 1))
else
    count() { grep -oE "[0-9]+ $1" <<<"$line" | grep -oE '^[0-9]+' || echo 0; }
    py_passed="$(count passed)"
    py_failed=$(( $(count failed) + $(count 'errors?') ))
    py_skipped="$(count skipped)"
    echo "pytest: $py_passed passed, $py_failed failed, $py_skipped skipped"
    skipped=$((skipped + py_skipped))
    passed=$((passed + py_passed))
    failed=$((failed + py_failed))
    echo "$line"
fi

echo "total: $passed passed, $failed failed, $skipped skipped"
