"""API pagination: `page` and `page_size` (at most 100)."""

from django.core.paginator import Paginator
from django.db.models import QuerySet
from rest_framework.pagination import PageNumberPagination


# --- Search: cheap pages over many hits ------------------------------------------------------
class PrimaryKeyPaginator(Paginator):
    """Chooses a page's rows by primary key alone, then loads only those rows in full.

    A search can match tens of thousands of rows; ranking them then moves keys instead of whole
    rows with their joins, and the page query proper touches `per_page` rows. Same pages, same
    order as the plain Paginator.

    `rows`, if given, is where the page's rows are loaded from (by key, in any order): the
    selection's filters and ranking then run once, for the keys, and not again for the rows.
    """

    def __init__(self, object_list, per_page, *args, rows: QuerySet | None = None, **kwargs):
        super().__init__(object_list, per_page, *args, **kwargs)
        self.rows = rows

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        queryset = self.object_list
        if not isinstance(queryset, QuerySet):
            return self._get_page(queryset[bottom:top], number, self)
        keys = list(queryset.prefetch_related(None).values_list("pk", flat=True)[bottom:top])
        loader = queryset if self.rows is None else self.rows.order_by()
        rows = {row.pk: row for row in loader.filter(pk__in=keys)} if keys else {}
        return self._get_page([rows[key] for key in keys if key in rows], number, self)


# --- end search ------------------------------------------------------------------------------


class ResourcePagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
    django_paginator_class = PrimaryKeyPaginator  # search: see above
