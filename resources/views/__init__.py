"""The site's pages, one module per part:

- catalogue: the public catalogue (home, list, resource, topic, tag, author pages);
- library: a reader's bookmarks and My library;
- notes: readers' notes on a resource;
- accounts: sign-up and the profile page;
- suggestions: readers suggest resources;
- discovery: related reading, reading paths with readers' progress, what's new;
- health: probes and last-resort error pages.

Every list of resources is built by `resources.listing.list_page`.
"""
