"""SQLCancel from another thread (issue #4 item 10): cursor.cancel() while a long query runs in
SQLExecute/SQLFetch must end that call with SQLSTATE HY008 and leave the connection usable."""

from __future__ import annotations

import threading
import time

import pyodbc

# A nested-loop self-join over lineitem (3.6e9 pairs): minutes of work for the engine.
LONG_QUERY = (
    "select count(*) from lineitem a, lineitem b "
    "where a.l_quantity + b.l_quantity < 0"
)


def test_cancel_from_another_thread_is_hy008(engine, odbc_connect):
    cnxn = odbc_connect(engine)
    # A guard: if cancellation does not work, the query timeout ends the call (HYT00) instead of
    # hanging the suite.
    cnxn.timeout = 60
    cursor = cnxn.cursor()
    outcome: dict = {}

    def run() -> None:
        started = time.monotonic()
        try:
            cursor.execute(LONG_QUERY)
            outcome["rows"] = cursor.fetchall()
        except pyodbc.Error as error:
            outcome["error"] = error
        outcome["seconds"] = time.monotonic() - started

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    time.sleep(2)
    assert worker.is_alive(), f"the long query finished before it could be cancelled: {outcome}"
    cursor.cancel()
    worker.join(timeout=90)
    assert not worker.is_alive(), "the cancelled call did not return"
    assert "error" in outcome, f"the cancelled query returned rows: {outcome}"
    assert outcome["error"].args[0] == "HY008", outcome["error"]
    assert outcome["seconds"] < 30

    after = cnxn.cursor().execute("select count(*) from region").fetchone()
    assert after[0] == 5
