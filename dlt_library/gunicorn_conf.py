"""gunicorn settings (`make serve`, docs/deploy.md): metrics add up across workers.

With PROMETHEUS_MULTIPROC_DIR set, each worker writes its counters to files there and /metrics
sums them; the folder is emptied when the server starts and a dead worker's gauges are dropped.
"""

import os
from pathlib import Path

# A search may hold 500 characters (resources/filters.py); 500 Chinese characters take 4,500
# bytes in the address, past gunicorn's default request line of 4,094 bytes, which answers
# with its own bare 414 page. 8,190 is gunicorn's largest; longer queries reach Django, which
# says what is wrong with them.
limit_request_line = 8190


def on_starting(server) -> None:
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        Path(directory).mkdir(parents=True, exist_ok=True)
        for stale in Path(directory).glob("*.db"):
            stale.unlink()


def child_exit(server, worker) -> None:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
