"""Discovery: related reading, reading paths with each reader's progress, and what's new.

- related.py: the related resources of a resource, with the reasons, cached for everyone;
- text.py: TF-IDF similarity over the search tokens (Chinese included);
- paths.py: progress along a path from a reader's own bookmarks, starting a path, the shipped
  paths;
- news.py: additions and notable changes by week, from the catalogue's history.
"""

from __future__ import annotations
