"""The benchmark's own machinery (the load test itself runs only with `make bench`)."""

import json

import pytest
from django.test import Client

from benchmarks.management.commands._bench_data import generate
from benchmarks.management.commands.bench import (
    REPORT_ORDER,
    pages_of,
    parse_wrk,
    plan_fits,
    write_report,
)

WRK_OUTPUT = """Running 10s test @ http://127.0.0.1:40001/resources/
  2 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    12.31ms    4.02ms  61.20ms   80.00%
  Latency Distribution
     50%   11.90ms
     75%   13.00ms
     90%   15.50ms
     99%    1.20s
  6634 requests in 10.00s, 300.00MB read
  Non-2xx or 3xx responses: 3
Requests/sec:    663.21
Transfer/sec:     30.00MB
"""


def test_wrk_output_is_read_into_rate_percentiles_and_errors():
    assert parse_wrk(WRK_OUTPUT) == (663.21, 11.9, 1200.0, 3)


def test_the_report_replaces_only_the_measured_part(tmp_path):
    path = tmp_path / "benchmarks.md"
    path.write_text("# Title\n<!-- bench:start -->\nold\n<!-- bench:end -->\n\nnotes\n")
    write_report(path, "new table")
    assert (
        path.read_text()
        == "# Title\n<!-- bench:start -->\nnew table\n<!-- bench:end -->\n\nnotes\n"
    )


@pytest.mark.django_db
def test_the_synthetic_library_answers_every_measured_page(settings):
    plan = generate(60)
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = plan["session"]
    for name, url in pages_of(plan).items():
        response = client.get(url)
        assert response.status_code == 200, (name, url)
    filtered = client.get(plan["pages"]["filtered list (topic+kind+tag)"])
    assert filtered.context["page_obj"].paginator.count > 0
    assert client.get("/resources/").wsgi_request.user.username == "bench-reader"


def test_a_plan_from_an_earlier_build_without_a_measured_page_makes_a_rebuild(tmp_path):
    plan = tmp_path / "bench-10.json"
    assert not plan_fits(plan)  # none yet
    plan.write_text('{"pages": {"healthz": "/healthz"}}')
    assert not plan_fits(plan)
    plan.write_text("not json")
    assert not plan_fits(plan)
    plan.write_text(json.dumps({"pages": dict.fromkeys(REPORT_ORDER, "/")}))
    assert plan_fits(plan)
