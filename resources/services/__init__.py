"""Writes that span several models, as plain functions, each in one transaction.

- list_encoding: reading an uploaded list as text (curators, maintainers);
- importing: Markdown lists into the catalogue (maintainers, curators);
- curation_file: the shipped curation applied after an import (maintainers);
- curation: bulk edits, ordering, merges, suggestions, restores (curators, from the admin).
"""

from resources.services.curation import (
    accept_suggestion,
    add_tags,
    merge_resources,
    move_to_topic,
    move_within_topic,
    reject_suggestion,
    remove_tags,
    renumber_topic,
    restore_resource,
    richness,
    set_field,
)
from resources.services.curation_file import apply_curation, set_aliases
from resources.services.guessing import guess_kind, guess_language
from resources.services.import_checks import ImportRejected
from resources.services.importing import ImportReport, count_entries, import_document
from resources.services.list_encoding import ListEncodingError, decode_list

__all__ = [
    "ImportRejected",
    "ImportReport",
    "ListEncodingError",
    "accept_suggestion",
    "add_tags",
    "apply_curation",
    "count_entries",
    "decode_list",
    "guess_kind",
    "guess_language",
    "import_document",
    "merge_resources",
    "move_to_topic",
    "move_within_topic",
    "reject_suggestion",
    "remove_tags",
    "renumber_topic",
    "restore_resource",
    "richness",
    "set_aliases",
    "set_field",
]
