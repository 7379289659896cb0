"""Zero downtime across processes (issue #6 item 2): several Python processes load the driver at
once through pyodbc and the unixODBC driver manager, each with several connections looping
queries with known answers, while the test switches the engine blue -> green -> blue ... with a
drain. Every process keeps its own blue/green state (read at the end through the driver's
connection attributes 16385-16387 with ctypes) and every query of every process succeeds.
"""

from __future__ import annotations

import ctypes
import json
import multiprocessing
import os
import queue
import threading
import time

from conftest import connection_string

PROCESSES = 3
CONNECTIONS_PER_PROCESS = 4
SWITCHES = 4
SWITCH_PERIOD_SECS = 2.5
DRAIN_SECS = 1
# Queries with fixed answers (TPC-H SF 0.01 in the default schema tpch, demo.numbers).
CHECKS = [
    ("select count(*) from lineitem", [(60175,)]),
    ("select count(*) from nation", [(25,)]),
    ("select sum(n) from demo.numbers where n <= 1000", [(500500,)]),
    ("select r_name from region order by r_regionkey",
     [("AFRICA",), ("AMERICA",), ("ASIA",), ("EUROPE",), ("MIDDLE EAST",)]),
    ("select n from demo.numbers where n <= 5000", None),  # checked by count and sum
]

ATTR_ACTIVE, ATTR_PENDING, ATTR_STATE = 16385, 16386, 16387


def _check(rows, expected, sql) -> str | None:
    """None when `rows` is the known answer of `sql`, else a description of the difference."""
    got = [tuple(r) for r in rows]
    if expected is None:
        values = [r[0] for r in got]
        if (len(values), sum(values)) != (5000, 5000 * 5001 // 2):
            return f"{sql}: {len(values)} rows summing to {sum(values)}"
        return None
    return None if got == expected else f"{sql}: expected {expected}, got {got[:10]}"


def _loop_queries(conn_str: str, index: int, stop, out: dict) -> None:
    """One connection: runs CHECKS round-robin until `stop` is set; records counts and errors."""
    import pyodbc

    out.update(ok=0, errors=[], wrong=[])
    try:
        cnxn = pyodbc.connect(conn_str, autocommit=True, timeout=30)
    except pyodbc.Error as error:
        out["errors"].append(f"connect: {error}")
        return
    i = index
    while not stop.is_set():
        sql, expected = CHECKS[i % len(CHECKS)]
        i += 1
        try:
            cursor = cnxn.cursor()
            rows = cursor.execute(sql).fetchall()
            cursor.close()
        except pyodbc.Error as error:
            out["errors"].append(f"{sql}: {error}")
            continue
        problem = _check(rows, expected, sql)
        if problem:
            out["wrong"].append(problem)
        else:
            out["ok"] += 1
    cnxn.close()


def _strategy_attributes(conn_str: str) -> dict:
    """Reads 16385-16387 on a new connection of this process through the unixODBC C API (the
    driver's state is per process; pyodbc does not expose connection handles)."""
    odbc = ctypes.CDLL("libodbc.so.2")
    handle = ctypes.c_void_p
    odbc.SQLAllocHandle.argtypes = [ctypes.c_short, handle, ctypes.POINTER(handle)]
    odbc.SQLSetEnvAttr.argtypes = [handle, ctypes.c_int, handle, ctypes.c_int]
    odbc.SQLDriverConnect.argtypes = [
        handle, handle, ctypes.c_char_p, ctypes.c_short, ctypes.c_char_p, ctypes.c_short,
        ctypes.POINTER(ctypes.c_short), ctypes.c_ushort,
    ]
    odbc.SQLGetConnectAttr.argtypes = [handle, ctypes.c_int, ctypes.c_char_p, ctypes.c_int,
                                       ctypes.POINTER(ctypes.c_int)]
    odbc.SQLDisconnect.argtypes = [handle]
    odbc.SQLFreeHandle.argtypes = [ctypes.c_short, handle]
    for fn in ("SQLAllocHandle", "SQLSetEnvAttr", "SQLDriverConnect", "SQLGetConnectAttr",
               "SQLDisconnect", "SQLFreeHandle"):
        getattr(odbc, fn).restype = ctypes.c_short

    def ok(rc: int, what: str) -> None:
        if rc not in (0, 1):
            raise RuntimeError(f"{what} returned {rc}")

    env, dbc = handle(), handle()
    ok(odbc.SQLAllocHandle(1, None, ctypes.byref(env)), "SQLAllocHandle(ENV)")
    ok(odbc.SQLSetEnvAttr(env, 200, handle(3), 0), "SQLSetEnvAttr(ODBC_VERSION)")
    ok(odbc.SQLAllocHandle(2, env, ctypes.byref(dbc)), "SQLAllocHandle(DBC)")
    ok(odbc.SQLDriverConnect(dbc, None, conn_str.encode(), -3, None, 0, None, 0), "SQLDriverConnect")
    values = {}
    try:
        for attr in (ATTR_ACTIVE, ATTR_PENDING, ATTR_STATE):
            buf = ctypes.create_string_buffer(8192)
            length = ctypes.c_int(0)
            ok(odbc.SQLGetConnectAttr(dbc, attr, buf, len(buf), ctypes.byref(length)),
               f"SQLGetConnectAttr({attr})")
            values[attr] = buf.raw[: length.value].decode()
    finally:
        odbc.SQLDisconnect(dbc)
        odbc.SQLFreeHandle(2, dbc)
        odbc.SQLFreeHandle(1, env)
    return {"active": values[ATTR_ACTIVE], "pending": values[ATTR_PENDING],
            "state": json.loads(values[ATTR_STATE])}


def process_main(conn_str: str, number: int, stop, ready, results) -> None:
    """Body of one worker process (top level, so the spawn start method can import it)."""
    outs = [dict() for _ in range(CONNECTIONS_PER_PROCESS)]
    threads = [
        threading.Thread(target=_loop_queries, args=(conn_str, i, stop, outs[i]), daemon=True)
        for i in range(CONNECTIONS_PER_PROCESS)
    ]
    for t in threads:
        t.start()
    ready.put(number)
    for t in threads:
        t.join()
    report = {"process": number, "pid": os.getpid(), "connections": outs}
    try:
        report["attributes"] = _strategy_attributes(conn_str)
    except Exception as error:  # reported to the parent, which fails the test with it
        report["attributes_error"] = repr(error)
    results.put(report)


def test_processes_keep_their_own_state_and_survive_switches(make_engine, odbc_config):
    eng = make_engine("--batch-rows", "1000")
    conn_str = connection_string(eng)
    ctx = multiprocessing.get_context("spawn")  # no fork of a process holding driver threads
    stop, ready, results = ctx.Event(), ctx.Queue(), ctx.Queue()
    procs = [
        ctx.Process(target=process_main, args=(conn_str, n, stop, ready, results), daemon=True)
        for n in range(PROCESSES)
    ]
    for p in procs:
        p.start()
    reports = []
    try:
        for _ in procs:
            ready.get(timeout=120)
        colour = eng.status()["active_strategy"]
        switches = []
        for _ in range(SWITCHES):
            time.sleep(SWITCH_PERIOD_SECS)
            colour = "green" if colour == "blue" else "blue"
            eng.ctl("switch", "--to", colour, "--drain-secs", str(DRAIN_SECS))
            switches.append(colour)
        # Traffic goes on until the last drain is over, so every process must move.
        time.sleep(DRAIN_SECS + 2)
        stop.set()
        for _ in procs:
            try:
                reports.append(results.get(timeout=60))
            except queue.Empty:
                break
    finally:
        stop.set()
        for p in procs:
            p.join(timeout=30)
            if p.is_alive():
                p.kill()

    assert len(reports) == PROCESSES, f"only {len(reports)} of {PROCESSES} processes reported"
    status = eng.wait_for(lambda s: s["open_queries"] == 0, "no open query", timeout=10)
    final = status["active_strategy"]
    assert final == colour
    assert len({r["pid"] for r in reports}) == PROCESSES
    for r in sorted(reports, key=lambda r: r["process"]):
        where = f"process {r['process']} (pid {r['pid']})"
        for i, out in enumerate(r["connections"]):
            assert out.get("errors") == [], f"{where} connection {i} failed: {out.get('errors')[:10]}"
            assert out.get("wrong") == [], f"{where} connection {i} got wrong answers: {out['wrong'][:10]}"
            assert out.get("ok", 0) > 0, f"{where} connection {i} ran no query"
        assert "attributes_error" not in r, f"{where}: {r.get('attributes_error')}"
        attrs = r["attributes"]
        # Each process followed the switches on its own: its own strategy store ends on the
        # engine's colour, with nothing pending and nothing pinned.
        assert attrs["active"] == final, f"{where}: {attrs}"
        assert attrs["pending"] == "", f"{where}: {attrs}"
        assert attrs["state"]["pinned_queries"] == 0, f"{where}: {attrs}"
        # Its own store saw every colour change (one generation per change, at least).
        assert attrs["state"]["generation"] >= SWITCHES, f"{where}: {attrs}"
        assert attrs["state"]["target"] == f"{eng.host}:{eng.port}", f"{where}: {attrs}"
    requests = status["requests_by_colour"]
    assert requests["blue"] > 0 and requests["green"] > 0, status
    print(
        f"{PROCESSES} processes x {CONNECTIONS_PER_PROCESS} connections, switches {switches}: "
        + ", ".join(
            f"process {r['process']}: {sum(o['ok'] for o in r['connections'])} queries, "
            f"generation {r['attributes']['state']['generation']}"
            for r in sorted(reports, key=lambda r: r["process"])
        )
    )
