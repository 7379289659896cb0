"""Stateful scenarios driven through the unchanged e6data Python connector.

The connector keeps its blue/green state (active and pending colour, query map, "session
invalidated" flag) in module globals shared by the whole process, so each scenario runs in a fresh
interpreter and cannot be disturbed by, or disturb, another test:

    python connector_scenarios.py SCENARIO --bin E6DATA_LOCAL --addr HOST:PORT

The scenario performs its steps against the engine at ADDR (using `e6data-local ctl` for the
control plane), then prints one JSON object with what it observed as the last line of stdout. The
pytest suite (test_conformance_bluegreen.py) makes the assertions.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from e6data_python_connector import Connection

from e6local import Engine

USER = "demo"
PASSWORD = "demo"


def connect(engine: Engine) -> Connection:
    return Connection(
        host=engine.host,
        port=engine.port,
        username=USER,
        password=PASSWORD,
        catalog="local",
        database="tpch",
    )


def scalar(connection: Connection, sql: str):
    cursor = connection.cursor()
    try:
        query_id = cursor.execute(sql)
        rows = cursor.fetchall()
        return rows[0][0], query_id
    finally:
        cursor.clear()


def switch_mid_query(engine: Engine) -> dict:
    """A multi-batch query survives a blue -> green switch; the next query runs on green."""
    observed: dict = {"status_before": engine.status()}
    connection = connect(engine)
    cursor = connection.cursor()
    query_a = cursor.execute("select l_orderkey, l_linenumber from lineitem")
    first = cursor.fetchmany(1000)
    observed["query_a"] = query_a
    observed["rows_before_switch"] = len(first)

    engine.ctl("switch", "--to", "green", "--drain-secs", "30")
    observed["status_during_switch"] = engine.status()

    rest = cursor.fetchall()
    rows = first + rest
    observed["rows_a"] = len(rows)
    observed["distinct_keys_a"] = len({(r[0], r[1]) for r in rows})
    cursor.clear()

    count_b, query_b = scalar(connection, "select count(*) from orders")
    observed["query_b"] = query_b
    observed["count_b"] = count_b
    observed["status_after"] = engine.status()
    observed["log"] = engine.ctl_json("log")
    connection.close()
    return observed


def suspend_resume(engine: Engine) -> dict:
    """A new connection to a suspended cluster resumes it (auto-resume) and runs its query."""
    observed: dict = {}
    first = connect(engine)
    observed["count_before"], _ = scalar(first, "select count(*) from nation")
    first.close()

    engine.ctl("suspend")
    observed["status_suspended"] = engine.status()

    second = connect(engine)
    started = time.monotonic()
    observed["count_after"], _ = scalar(second, "select count(*) from region")
    observed["resume_seconds"] = time.monotonic() - started
    observed["status_after"] = engine.status()
    second.close()
    return observed


def session_expiry(engine: Engine) -> dict:
    """After the server drops every session, execute re-authenticates and succeeds."""
    observed: dict = {}
    connection = connect(engine)
    observed["count_before"], _ = scalar(connection, "select count(*) from nation")
    engine.ctl("expire-sessions")
    observed["status_expired"] = engine.status()
    observed["count_after"], _ = scalar(connection, "select count(*) from region")
    observed["status_after"] = engine.status()
    connection.close()
    return observed


SCENARIOS = {
    "switch_mid_query": switch_mid_query,
    "suspend_resume": suspend_resume,
    "session_expiry": session_expiry,
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario", choices=sorted(SCENARIOS))
    parser.add_argument("--bin", required=True, help="the e6data-local binary (for ctl)")
    parser.add_argument("--addr", required=True, help="HOST:PORT of the running engine")
    args = parser.parse_args()
    engine = Engine(args.bin, ".", [])
    engine.addr = args.addr
    host, _, port = args.addr.rpartition(":")
    engine.host, engine.port = host, int(port)
    observed = SCENARIOS[args.scenario](engine)
    print(json.dumps(observed, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
