"""The e6data Python connector's side of `cargo bench --bench switch` (tests/bench/switch.rs).

Runs a small query in a loop on THREADS connections (one thread each) for SECS seconds against an
e6data engine and prints one JSON object on stdout:

    {"queries": N, "errors": N, "error_samples": [...], "elapsed": S, "latencies_ms": [...]}

The Rust benchmark starts the engine, switches colours while this runs (or not), reads the
engine's request counters around it and computes the statistics, so both clients are measured the
same way.

    python tests/bench/python_connector_bench.py --host H --port P --secs 10 --threads 4
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time

from e6data_python_connector import Connection


def worker(args, deadline: float, out: dict) -> None:
    out.update(queries=0, errors=0, error_samples=[], latencies_ms=[])
    connection = Connection(
        host=args.host,
        port=args.port,
        username=args.user,
        password=args.password,
        catalog=args.catalog,
        database=args.schema,
    )
    while time.monotonic() < deadline:
        started = time.perf_counter()
        cursor = connection.cursor()
        try:
            cursor.execute(args.sql)
            rows = cursor.fetchall()
            if [tuple(r) for r in rows] != [(1,)]:
                raise AssertionError(f"wrong answer {rows!r}")
        except Exception as error:  # every failure counts; the benchmark reports them
            out["errors"] += 1
            if len(out["error_samples"]) < 5:
                out["error_samples"].append(repr(error)[:300])
            continue
        finally:
            try:
                cursor.clear()
            except Exception:  # a failed clear is not the query's failure
                pass
        out["latencies_ms"].append((time.perf_counter() - started) * 1000.0)
        out["queries"] += 1
    connection.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--secs", type=float, default=10.0)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--user", default="demo")
    parser.add_argument("--password", default="demo")
    parser.add_argument("--catalog", default="local")
    parser.add_argument("--schema", default="tpch")
    parser.add_argument("--sql", default="SELECT 1")
    args = parser.parse_args()

    started = time.monotonic()
    deadline = started + args.secs
    outs = [dict() for _ in range(args.threads)]
    threads = [threading.Thread(target=worker, args=(args, deadline, o)) for o in outs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    result = {
        "queries": sum(o.get("queries", 0) for o in outs),
        "errors": sum(o.get("errors", 0) for o in outs),
        "error_samples": [s for o in outs for s in o.get("error_samples", [])][:5],
        "elapsed": elapsed,
        "latencies_ms": [x for o in outs for x in o.get("latencies_ms", [])],
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
