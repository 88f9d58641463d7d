"""Settings for the server processes a test starts: the project's own, with cache key prefixes
the test chose (TEST_CACHE_PREFIX), so that it can remove exactly what its servers stored."""

import os

from dlt_library.settings import *  # noqa: F403
from dlt_library.settings import CACHES

for _alias, _config in CACHES.items():
    _config["KEY_PREFIX"] = f"{os.environ['TEST_CACHE_PREFIX']}-{_alias}"
