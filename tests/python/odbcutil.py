"""Helpers for the pyodbc suites: connection strings and DSNs for the private unixODBC
configuration that the `odbc_config` fixture (conftest.py) sets up."""

from __future__ import annotations

import pathlib
import subprocess

from e6local import REPO, Engine

DEMO_USER = "demo"
DEMO_PASSWORD = "demo"


def register_dsn(config: pathlib.Path, driver: pathlib.Path, name: str, eng: Engine, **extra: str) -> None:
    """Adds (or replaces) DSN `name` for `eng` in the private configuration."""
    cmd = [
        str(REPO / "installer" / "register.sh"),
        "--driver", str(driver),
        "--user", str(config),
        "--dsn", name,
        "--host", eng.host,
        "--port", str(eng.port),
        "--uid", DEMO_USER,
        "--pwd", DEMO_PASSWORD,
        "--catalog", "local",
        "--schema", "tpch",
    ]
    for key, value in extra.items():
        cmd += ["--set", f"{key}={value}"]
    subprocess.run(cmd, capture_output=True, text=True, check=True)


def connection_string(eng: Engine, **keys: str) -> str:
    """`Driver=e6data;Host=..;Port=..;UID=demo;PWD=demo;Catalog=local;Schema=tpch` plus keys."""
    values = {
        "Driver": "e6data",
        "Host": eng.host,
        "Port": str(eng.port),
        "UID": DEMO_USER,
        "PWD": DEMO_PASSWORD,
        "Catalog": "local",
        "Schema": "tpch",
    }
    values.update(keys)
    return ";".join(f"{k}={{{v}}}" if ";" in v else f"{k}={v}" for k, v in values.items())
