"""A local stand-in for the arXiv API: serves recorded Atom answers on 127.0.0.1.

Ids with a recorded entry (tests/arxiv/recorded.xml) get it; ids in `synthesize` get an
entry of the same shape built from a title; any other id gets arXiv's error entry. It can
answer the first requests with 503 to exercise retries, and it remembers what was asked.
"""

from __future__ import annotations

import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

HERE = Path(__file__).parent / "arxiv"
RECORDED = (HERE / "recorded.xml").read_text(encoding="utf-8")
ERROR = (HERE / "error.xml").read_text(encoding="utf-8")
ENTRY = re.compile(r"  <entry>.*?</entry>\n", re.DOTALL)
ENTRY_ID = re.compile(r"<id>http://arxiv\.org/abs/(.+?)v\d+</id>")
HEAD = RECORDED[: RECORDED.index("  <entry>")]
RECORDED_ENTRIES = {ENTRY_ID.search(e).group(1): e for e in ENTRY.findall(RECORDED)}
ERROR_ENTRY = ENTRY.findall(ERROR)[0]
SYNTHETIC = """  <entry>
    <id>http://arxiv.org/abs/{id}v1</id>
    <updated>2022-01-01T00:00:00Z</updated>
    <published>2021-03-04T05:06:07Z</published>
    <title>{title}</title>
    <summary>  Stand-in abstract of {id}: we study $f(x) = \\sigma(Wx)$ and
prove a bound.
</summary>
    <author>
      <name>Stand-in Author</name>
    </author>
    <link href="http://arxiv.org/abs/{id}v1" rel="alternate" type="text/html"/>
    <arxiv:primary_category xmlns:arxiv="http://arxiv.org/schemas/atom" term="cs.LG" scheme="http://arxiv.org/schemas/atom"/>
  </entry>
"""


class ArxivStandIn:
    def __init__(self, *, synthesize: dict[str, str] | None = None, fail_first: int = 0):
        self.synthesize = synthesize or {}
        self.fail_first = fail_first
        self.requests: list[list[str]] = []
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                query = parse_qs(urlsplit(self.path).query)
                ids = [i for i in query.get("id_list", [""])[0].split(",") if i]
                stand_in.requests.append(ids)
                if len(stand_in.requests) <= stand_in.fail_first:
                    self.send_response(503)
                    self.end_headers()
                    return
                body = (HEAD + "".join(stand_in.entry(i) for i in ids) + "</feed>\n").encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/atom+xml; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/api/query"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def entry(self, arxiv_id: str) -> str:
        if arxiv_id in RECORDED_ENTRIES:
            return RECORDED_ENTRIES[arxiv_id]
        if arxiv_id in self.synthesize:
            title = self.synthesize[arxiv_id].replace("&", "&amp;").replace("<", "&lt;")
            return SYNTHETIC.format(id=arxiv_id, title=title)
        return ERROR_ENTRY.replace("0000.00000", arxiv_id)

    def __enter__(self) -> ArxivStandIn:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
