"""API pagination: `page` and `page_size` (at most 100)."""

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import QuerySet
from rest_framework.pagination import PageNumberPagination


# --- Search: cheap pages over many hits ------------------------------------------------------
class PrimaryKeyPaginator(Paginator):
    """Chooses a page's rows by primary key alone, then loads only those rows in full.

    A search can match tens of thousands of rows; ranking them then moves keys instead of whole
    rows with their joins, and the page query proper touches `per_page` rows. Same pages, same
    order as the plain Paginator.

    A caller that loads the rows some other way (by key, in any order, so the selection's
    filters and ranking run once, for the keys) uses `number_for`, `keys_of` and `page_of` in
    turn.
    """

    def page(self, number):
        number = self.validate_number(number)
        if not isinstance(self.object_list, QuerySet):
            return self._get_page(self.object_list[slice(*self._bounds(number))], number, self)
        return self.page_of(number, self.keys_of(number), self.object_list)

    def number_for(self, number) -> int:
        """The page `get_page(number)` shows: the first for a non-number, the last past it."""
        try:
            return self.validate_number(number)
        except PageNotAnInteger:
            return 1
        except EmptyPage:
            return self.num_pages

    def keys_of(self, number: int) -> list:
        """The keys of page `number`'s rows, in the selection's order."""
        bottom, top = self._bounds(number)
        return list(
            self.object_list.prefetch_related(None).values_list("pk", flat=True)[bottom:top]
        )

    def page_of(self, number: int, keys: list, rows: QuerySet) -> Page:
        """Page `number`, its rows (those of `keys` still there) loaded from `rows`."""
        loaded = {row.pk: row for row in rows.order_by().filter(pk__in=keys)} if keys else {}
        return self.page_with(number, [loaded[key] for key in keys if key in loaded])

    def page_with(self, number: int, rows: list) -> Page:
        """Page `number` holding `rows`, which the caller made from `keys_of(number)`."""
        return self._get_page(rows, number, self)

    def _bounds(self, number: int) -> tuple[int, int]:
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        return bottom, top


# --- end search ------------------------------------------------------------------------------


class ResourcePagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
    django_paginator_class = PrimaryKeyPaginator  # search: see above
