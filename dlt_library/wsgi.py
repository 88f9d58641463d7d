"""WSGI entry point for gunicorn (`make serve`).

After loading the project, each worker moves everything it has imported into the garbage
collector's permanent generation (`gc.freeze()`): modules, models, URL patterns and settings
live as long as the process, yet a full collection walked all ~100,000 of them and paused a
request for 80–90 ms about every ten seconds per worker, the slowest 1 % of the benchmark's
signed-in pages. Frozen, the same collection takes about 20 ms (docs/benchmarks.md).

Each request runs with room on CPython's frame stack (`stack_room`): without it, rendering a
list page mapped and unmapped memory thousands of times per request on Python 3.11.
"""

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

from dlt_library.stack_room import wsgi_with_stack_room

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dlt_library.settings")

application = wsgi_with_stack_room(get_wsgi_application())

# Import the URLconf, the views and what they use, then freeze what is left after a collection.
get_resolver().check()
gc.collect()
gc.freeze()
