"""Loopback ports for the tests' own servers and stand-ins.

The kernel hands each out from its ephemeral range, so two pytest-xdist workers asking at the
same moment never get the same port. Between closing the probe and a server binding it, another
process can still take the port: `start_listening` retries on a new one when that happens.
"""

import socket
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import httpx


def unused_port() -> int:
    """A loopback port nothing listens on (connecting to it is refused)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def unused_ports(count: int) -> list[int]:
    """`count` distinct unused loopback ports."""
    ports: set[int] = set()
    while len(ports) < count:
        ports.add(unused_port())
    return sorted(ports)


def start_listening(
    start: Callable[[int], subprocess.Popen],
    wait: Callable[[subprocess.Popen, int], None],
    *,
    attempts: int = 5,
) -> tuple[subprocess.Popen, int]:
    """Start a server with `start(port)`, then `wait(process, port)` until it answers.

    `wait` raises if the server exits or never answers; the server is then stopped. When it
    exited because its port was taken in the meantime ("already in use"), it is started again
    on another port; any other failure is raised.
    """
    for attempt in range(1, attempts + 1):
        port = unused_port()
        process = start(port)
        try:
            wait(process, port)
        except Exception as error:
            stop(process)
            if attempt < attempts and "already in use" in str(error).lower():
                continue
            raise
        return process, port
    raise AssertionError("unreachable: the last attempt returns or raises")


def stop(process: subprocess.Popen) -> None:
    """Terminate a server, and kill it if it has not exited within ten seconds."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def wait_until_ready(process: subprocess.Popen, url: str, log: Path, timeout: float = 90) -> None:
    """Wait until `url`/healthz answers 200; raise with the end of `log` if the server exits or
    is not ready in `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited:\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"server not ready in {timeout}s:\n{log.read_text()[-3000:]}")


def logged_server(command: Callable[[int], list[str]], *, env: dict, log: Path, cwd: Path):
    """`start` and `wait` for `start_listening`: run `command(port)` with its output in `log`;
    ready when its /healthz answers."""

    def start(port: int) -> subprocess.Popen:
        with log.open("w") as output:
            return subprocess.Popen(
                command(port), cwd=cwd, env=env, stdout=output, stderr=subprocess.STDOUT
            )

    def wait(process: subprocess.Popen, port: int) -> None:
        wait_until_ready(process, f"http://127.0.0.1:{port}", log)

    return start, wait
