"""Fixtures shared by the conformance (e6data Python connector) and pyodbc suites.

- `engine`: one e6data-local for the whole session, for tests that do not change its state.
- `make_engine(*args)`: a fresh e6data-local with extra `serve` options (stopped after the test),
  for tests that switch colours, suspend, expire sessions or load data.
- `calcs_data_dir`: a directory holding `tdvt/Calcs.csv`, copied at run time from
  `<repo>/../shared/data/tdvt/` (the test is skipped when that file is absent).
- `odbc_config`: a private unixODBC configuration (ODBCSYSINI/ODBCINI in a temp dir) with the
  built driver registered as `e6data`; `odbc_connect(engine, **keys)` opens a pyodbc connection.

Binaries: E6DATA_LOCAL_BIN (engine) and E6DATA_ODBC_DRIVER (libe6data_odbc.so), both set by
`make test`; without them the defaults under $CARGO_TARGET_DIR (or target/)/debug are used.
"""

from __future__ import annotations

import os
import pathlib
import shutil
import subprocess

import pytest

from e6local import REPO, Engine, EngineError, default_binary
from odbcutil import connection_string


def _require_file(path: pathlib.Path, env_var: str, what: str) -> pathlib.Path:
    """Fails (the variable was set) or skips (nothing was configured) when path is missing."""
    if path.is_file():
        return path
    message = f"{what} not found at {path}; build it with `make build`"
    if os.environ.get(env_var):
        pytest.fail(f"{env_var}={path}: {message}", pytrace=False)
    pytest.skip(f"{message} (or set {env_var})")


@pytest.fixture(scope="session")
def engine_bin() -> pathlib.Path:
    return _require_file(default_binary(), "E6DATA_LOCAL_BIN", "e6data-local")


@pytest.fixture(scope="session")
def driver_so() -> pathlib.Path:
    configured = os.environ.get("E6DATA_ODBC_DRIVER")
    if configured:
        path = pathlib.Path(configured)
    else:
        target = pathlib.Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target"))
        path = target / "debug" / "libe6data_odbc.so"
    return _require_file(path, "E6DATA_ODBC_DRIVER", "libe6data_odbc.so")


def _start(engine_bin: pathlib.Path, workdir: pathlib.Path, args) -> Engine:
    try:
        return Engine(engine_bin, workdir, list(args)).start()
    except EngineError as error:
        pytest.fail(str(error), pytrace=False)


@pytest.fixture(scope="session")
def engine(engine_bin, tmp_path_factory):
    """A shared engine with default options. Do not switch, suspend or fault it."""
    started = _start(engine_bin, tmp_path_factory.mktemp("engine"), [])
    yield started
    started.stop()


@pytest.fixture
def make_engine(engine_bin, tmp_path_factory):
    """Factory for private engines: make_engine("--batch-rows", "1000")."""
    started: list[Engine] = []

    def factory(*args: str) -> Engine:
        eng = _start(engine_bin, tmp_path_factory.mktemp("engine"), args)
        started.append(eng)
        return eng

    yield factory
    for eng in started:
        eng.stop()


def shared_calcs_csv() -> pathlib.Path:
    shared = os.environ.get("E6DATA_SHARED_DIR")
    base = pathlib.Path(shared) if shared else REPO.parent / "shared"
    return base / "data" / "tdvt" / "Calcs.csv"


@pytest.fixture(scope="session")
def calcs_csv() -> pathlib.Path:
    source = shared_calcs_csv()
    if not source.is_file():
        pytest.skip(f"TDVT Calcs data not available at {source} (expected ../shared beside the repo)")
    return source


@pytest.fixture(scope="session")
def calcs_data_dir(calcs_csv, tmp_path_factory) -> pathlib.Path:
    """A --data directory with tdvt/Calcs.csv (becomes table local.tdvt.Calcs)."""
    data = tmp_path_factory.mktemp("data")
    (data / "tdvt").mkdir()
    shutil.copyfile(calcs_csv, data / "tdvt" / "Calcs.csv")
    return data


@pytest.fixture(scope="session")
def odbc_config(driver_so, tmp_path_factory) -> pathlib.Path:
    """Registers the driver in a private unixODBC configuration and points the process at it."""
    config = tmp_path_factory.mktemp("odbc")
    result = subprocess.run(
        [str(REPO / "installer" / "register.sh"), "--driver", str(driver_so), "--user", str(config)],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        pytest.fail(f"installer/register.sh failed: {result.stderr}", pytrace=False)
    os.environ["ODBCSYSINI"] = str(config)
    os.environ["ODBCINI"] = str(config / "odbc.ini")
    return config


@pytest.fixture
def odbc_connect(odbc_config):
    """Factory: odbc_connect(engine, **keys) -> an open pyodbc connection (closed after the test)."""
    import pyodbc

    opened = []

    def factory(eng: Engine, **keys: str):
        # The driver is autocommit-only: pyodbc's default (autocommit off) is refused with HYC00.
        cnxn = pyodbc.connect(connection_string(eng, **keys), autocommit=True, timeout=30)
        opened.append(cnxn)
        return cnxn

    yield factory
    for cnxn in opened:
        try:
            cnxn.close()
        except pyodbc.Error:
            pass
