"""Conformance (issue #3 item 5): blue/green switch, suspension and session expiry, driven by the
unchanged e6data Python connector against a private e6data-local each.

Each scenario runs in a fresh interpreter (connector_scenarios.py) because the connector keeps its
colour state in process-wide globals; the engine's `ctl status` / `ctl log` are the witnesses.
"""

from __future__ import annotations

import json
import pathlib
import subprocess
import sys

import pytest

SCENARIOS = pathlib.Path(__file__).with_name("connector_scenarios.py")


def run_scenario(name: str, engine, timeout: float = 180) -> dict:
    result = subprocess.run(
        [sys.executable, str(SCENARIOS), name, "--bin", str(engine.binary), "--addr", engine.addr],
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )
    if result.returncode != 0:
        pytest.fail(
            f"scenario {name} failed (exit {result.returncode}):\n{result.stderr[-4000:]}\n"
            f"engine stderr:\n{engine.stderr_tail()}",
            pytrace=False,
        )
    lines = result.stdout.strip().splitlines()
    assert lines, f"scenario {name} printed nothing; stderr:\n{result.stderr[-2000:]}"
    return json.loads(lines[-1])


def log_entry(log, query_id: str) -> dict:
    """The `ctl log` entry of one query."""
    entries = log.get("queries", log) if isinstance(log, dict) else log
    for entry in entries:
        if entry.get("query_id") == query_id:
            return entry
    raise AssertionError(f"query {query_id} not in ctl log: {json.dumps(log)[:2000]}")


def call_colours(entry: dict) -> list[str]:
    """Colours of every call recorded on a query after its prepare."""
    return [call["colour"] if isinstance(call, dict) else call for call in entry.get("calls", [])]


def test_switch_mid_query_is_survived(make_engine):
    engine = make_engine("--batch-rows", "1000")
    seen = run_scenario("switch_mid_query", engine)

    assert seen["status_before"]["active_strategy"] == "blue"
    assert seen["rows_before_switch"] == 1000
    during = seen["status_during_switch"]
    assert sorted(during["accepted_strategies"]) == ["blue", "green"]
    assert during["active_strategy"] == "green"

    # The query prepared before the switch finished, complete, on blue.
    assert seen["rows_a"] == 60175
    assert seen["distinct_keys_a"] == 60175
    # The next query ran on green.
    assert seen["count_b"] == 15000

    entry_a = log_entry(seen["log"], seen["query_a"])
    assert entry_a["prepared_colour"] == "blue"
    colours_a = call_colours(entry_a)
    assert colours_a, "no calls recorded for the query that spanned the switch"
    assert set(colours_a) == {"blue"}, colours_a
    entry_b = log_entry(seen["log"], seen["query_b"])
    assert entry_b["prepared_colour"] == "green"
    assert set(call_colours(entry_b)) == {"green"}

    after = seen["status_after"]
    assert after["active_strategy"] == "green"
    assert after["accepted_strategies"] == ["green"], "blue was not withdrawn after its last query"
    assert after["requests_by_colour"]["green"] > 0


def test_suspend_then_auto_resume(make_engine):
    engine = make_engine("--resume-secs", "1")
    seen = run_scenario("suspend_resume", engine)

    assert seen["count_before"] == 25
    assert seen["status_suspended"]["cluster_status"] == "suspended"
    assert seen["count_after"] == 5
    assert seen["status_after"]["cluster_status"] == "active"
    # The connector polls ClusterService.status every 5 s while resuming.
    assert seen["resume_seconds"] >= 1


def test_session_expiry_then_reauthentication(make_engine):
    engine = make_engine()
    seen = run_scenario("session_expiry", engine)

    assert seen["count_before"] == 25
    assert seen["status_expired"]["sessions"] == 0
    assert seen["count_after"] == 5
    assert seen["status_after"]["sessions"] >= 1
