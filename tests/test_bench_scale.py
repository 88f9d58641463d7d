"""`make bench-scale`'s parts that can be checked quickly: the proxy and the report."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx

from benchmarks.management.commands.bench import _free_port
from benchmarks.management.commands.bench_scale import RoundRobinProxy, render, write_block


def server_named(name: str) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Length", str(len(name)))
            self.end_headers()
            self.wfile.write(name.encode())

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def test_the_proxy_hands_connections_to_each_server_in_turn():
    servers = [server_named("a"), server_named("b")]
    try:
        with RoundRobinProxy(_free_port(), [s.server_address[1] for s in servers]) as proxy:
            answers = [
                httpx.get(f"http://127.0.0.1:{proxy.port}/", timeout=5).text for _ in range(4)
            ]
        assert answers == ["a", "b", "a", "b"]
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()


def run(count: int, p50: float, p99: float) -> dict:
    page = {"url": "/resources/", "rps": 50.0, "p50": p50, "p99": p99, "errors": 0}
    return {
        "count": count,
        "built_s": 10.0,
        "load": 1.0,
        "pages": {"catalogue (signed in)": {**page, "cold": 12, "warm": 4}},
    }


def test_the_report_gives_each_size_its_row_the_target_and_the_growth(tmp_path):
    options = {"counts": "10000,100000", "duration": 10, "workers": 2, "connections": 8}
    report = render([run(10_000, 50.0, 100.0), run(100_000, 75.0, 250.0)], options)
    assert "| catalogue (signed in) | 10,000 | 50 | 50.0 | 100.0 ✓ | 0 | 12 / 4 |" in report
    assert "| catalogue (signed in) | 100,000 | 50 | 75.0 | 250.0 ✗ | 0 | 12 / 4 |" in report
    assert "- catalogue (signed in): ×1.50, ×2.50; queries 12 → 12 cold" in report
    path = tmp_path / "benchmarks.md"
    path.write_text("# Benchmarks\n\nnotes kept\n")
    write_block(path, report)
    write_block(path, report.replace("50.0", "51.0"))
    text = path.read_text()
    assert text.count("<!-- bench-scale:start -->") == 1 and "notes kept" in text
    assert "51.0" in text
