"""The tests' port helper: a server that loses its port to another process starts on a new one."""

import socket
import subprocess
import sys
import time

import pytest

from tests.ports import start_listening, unused_port, unused_ports

LOSES_ITS_PORT = "import sys; print('Error: That port is already in use.'); sys.exit(1)"
LISTENS = """
import socket, sys, time
server = socket.socket()
server.bind(("127.0.0.1", int(sys.argv[1])))
server.listen()
time.sleep(60)
"""


def test_an_unused_port_refuses_connections():
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", unused_port()), timeout=2)


def test_unused_ports_are_distinct_and_each_refuses_connections():
    ports = unused_ports(3)
    assert len(set(ports)) == 3
    for port in ports:
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection(("127.0.0.1", port), timeout=2)


def wait_for_listener(process: subprocess.Popen, port: int) -> None:
    for _ in range(100):
        if process.poll() is not None:
            raise RuntimeError(f"exited: {process.stdout.read()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("never listened")


def test_a_server_whose_port_was_taken_starts_again_on_another_port():
    started: list[int] = []

    def start(port: int) -> subprocess.Popen:
        started.append(port)
        code = LOSES_ITS_PORT if len(started) == 1 else LISTENS
        return subprocess.Popen(
            [sys.executable, "-c", code, str(port)], stdout=subprocess.PIPE, text=True
        )

    process, port = start_listening(start, wait_for_listener)
    try:
        assert len(started) == 2
        assert port == started[1]
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
    finally:
        process.kill()
        process.wait()


def test_any_other_failure_to_start_is_raised_at_once():
    started: list[int] = []

    def start(port: int) -> subprocess.Popen:
        started.append(port)
        return subprocess.Popen(
            [sys.executable, "-c", "print('ImproperlyConfigured'); raise SystemExit(1)"],
            stdout=subprocess.PIPE,
            text=True,
        )

    with pytest.raises(RuntimeError, match="ImproperlyConfigured"):
        start_listening(start, wait_for_listener)
    assert len(started) == 1
