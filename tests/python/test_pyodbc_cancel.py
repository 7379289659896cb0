"""SQLCancel from another thread (issue #4 item 10): cursor.cancel() while a long query runs in
SQLExecute/SQLFetch must end that call promptly with SQLSTATE HY008, stop the query on the
engine, and leave the connection usable."""

from __future__ import annotations

import threading
import time

import pyodbc

# A streaming aggregation over 10^11 generated rows: minutes of work, in small batches.
LONG_SCAN = "select sum(value) from generate_series(1, 100000000000)"
# A nested-loop self-join over lineitem (3.6e9 pairs): few, very long batches.
LONG_JOIN = "select count(*) from lineitem a, lineitem b where a.l_quantity + b.l_quantity < 0"


def cancel_while_running(cnxn, sql: str) -> tuple[pyodbc.Error | None, float]:
    """Runs sql on a worker thread, cancels it from this thread after 2 s; returns the error
    the worker got and how long after SQLCancel its call returned."""
    # A guard: if cancellation does not work, the query timeout ends the call (HYT00) instead of
    # hanging the suite.
    cnxn.timeout = 60
    cursor = cnxn.cursor()
    outcome: dict = {}

    def run() -> None:
        try:
            cursor.execute(sql)
            outcome["rows"] = cursor.fetchall()
        except pyodbc.Error as error:
            outcome["error"] = error

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    time.sleep(2)
    assert worker.is_alive(), f"the long query finished before it could be cancelled: {outcome}"
    cancelled_at = time.monotonic()
    cursor.cancel()
    worker.join(timeout=90)
    latency = time.monotonic() - cancelled_at
    assert not worker.is_alive(), "the cancelled call did not return"
    assert "rows" not in outcome, f"the cancelled query returned rows: {outcome}"
    return outcome.get("error"), latency


def test_cancel_from_another_thread_is_hy008(engine, odbc_connect):
    cnxn = odbc_connect(engine)
    error, latency = cancel_while_running(cnxn, LONG_SCAN)
    assert error is not None and error.args[0] == "HY008", error
    assert latency < 5, f"the cancelled call returned {latency:.1f}s after SQLCancel"
    engine.wait_for(lambda s: s["open_queries"] == 0, "the engine to drop the cancelled query", 10)

    after = cnxn.cursor().execute("select count(*) from region").fetchone()
    assert after[0] == 5


def test_cancel_of_a_cpu_bound_join_is_prompt(make_engine, odbc_connect):
    # A private engine: the join may keep it busy after the test.
    cnxn = odbc_connect(make_engine())
    error, latency = cancel_while_running(cnxn, LONG_JOIN)
    assert error is not None and error.args[0] == "HY008", error
    assert latency < 5, f"the cancelled call returned {latency:.1f}s after SQLCancel"
