"""gunicorn settings (`make serve`, docs/deploy.md): metrics add up across workers.

With PROMETHEUS_MULTIPROC_DIR set, each worker writes its counters to files there and /metrics
sums them; the folder is emptied when the server starts and a dead worker's gauges are dropped.
"""

import os
from pathlib import Path


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
