"""Start, drive and stop an e6data-local engine from the Python test suites.

`Engine` runs `e6data-local serve --listen 127.0.0.1:0 ...`, waits for its `listening on ADDR`
line and offers the `ctl` control commands. The binary comes from the E6DATA_LOCAL_BIN
environment variable (set by `make test`).
"""

from __future__ import annotations

import json
import os
import pathlib
import subprocess
import time

REPO = pathlib.Path(__file__).resolve().parents[2]
START_TIMEOUT_SECS = float(os.environ.get("ENGINE_START_TIMEOUT", "120"))


def default_binary() -> pathlib.Path:
    """The engine binary: $E6DATA_LOCAL_BIN, else $CARGO_TARGET_DIR (or target/)/debug."""
    configured = os.environ.get("E6DATA_LOCAL_BIN")
    if configured:
        return pathlib.Path(configured)
    target = pathlib.Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target"))
    return target / "debug" / "e6data-local"


class EngineError(RuntimeError):
    """The engine could not be started or a ctl command failed."""


class Engine:
    """One running e6data-local process."""

    def __init__(self, binary: pathlib.Path, workdir: pathlib.Path, args: list[str]):
        self.binary = pathlib.Path(binary)
        self.workdir = pathlib.Path(workdir)
        self.args = list(args)
        self.process: subprocess.Popen | None = None
        self.addr = ""
        self.host = ""
        self.port = 0

    @property
    def stderr_path(self) -> pathlib.Path:
        return self.workdir / "engine.err"

    def start(self) -> "Engine":
        if not self.binary.is_file():
            raise EngineError(f"{self.binary} does not exist; build it with `make build`")
        self.workdir.mkdir(parents=True, exist_ok=True)
        out_path = self.workdir / "engine.out"
        listen = [] if any(a.startswith("--listen") for a in self.args) else ["--listen", "127.0.0.1:0"]
        with open(out_path, "wb") as out, open(self.stderr_path, "wb") as err:
            self.process = subprocess.Popen(
                [str(self.binary), "serve", *listen, *self.args],
                stdout=out,
                stderr=err,
                stdin=subprocess.DEVNULL,
            )
        deadline = time.monotonic() + START_TIMEOUT_SECS
        while time.monotonic() < deadline:
            for line in out_path.read_text(errors="replace").splitlines():
                if line.startswith("listening on "):
                    self.addr = line[len("listening on "):].split()[0]
                    host, _, port = self.addr.rpartition(":")
                    self.host, self.port = host, int(port)
                    return self
            if self.process.poll() is not None:
                raise EngineError(
                    f"e6data-local exited with status {self.process.returncode} before listening:\n"
                    + self.stderr_tail()
                )
            time.sleep(0.05)
        self.stop()
        raise EngineError(f"no 'listening on' line within {START_TIMEOUT_SECS}s:\n" + self.stderr_tail())

    def stderr_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.stderr_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no engine stderr)"

    def ctl(self, *args: str, timeout: float = 60) -> str:
        """Runs `e6data-local ctl --target ADDR ARGS...` and returns its stdout."""
        result = subprocess.run(
            [str(self.binary), "ctl", "--target", self.addr, *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
        )
        if result.returncode != 0:
            raise EngineError(
                f"ctl {' '.join(args)} failed with status {result.returncode}: {result.stderr.strip()}"
            )
        return result.stdout

    def ctl_json(self, *args: str):
        out = self.ctl(*args)
        try:
            return json.loads(out)
        except json.JSONDecodeError as error:
            raise EngineError(f"ctl {' '.join(args)} did not print JSON ({error}): {out!r}") from None

    def status(self) -> dict:
        return self.ctl_json("status")

    def wait_for(self, predicate, what: str, timeout: float = 30, interval: float = 0.2) -> dict:
        """Polls `ctl status` until predicate(status) holds; returns that status."""
        deadline = time.monotonic() + timeout
        status = self.status()
        while not predicate(status):
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out after {timeout}s waiting for {what}; last status: {status}")
            time.sleep(interval)
            status = self.status()
        return status

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.process = None

    def __enter__(self) -> "Engine":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
