"""The audit trail (granskningslogg) in Django's admin: read-only, and cheap at
millions of events. Every query the list runs uses an index: newest first on
``created_at``, no filter that reads the whole table for its choices, a search
on the beginning of the object or the actor and on the exact object id, and
no second COUNT of the whole table (see docs/performance.md, "Admin")."""

from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import Q
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from .models import AuditEvent

# Above this many rows the unfiltered list shows PostgreSQL's estimate of the
# total instead of counting millions of rows on every page.
ESTIMATE_ABOVE = 100_000


class EstimatedCountPaginator(Paginator):
    """Counts exactly, except the whole table on PostgreSQL when it is large:
    then the planner's row estimate (``pg_class.reltuples``, kept up to date
    by autovacuum's ANALYZE). A filtered or searched list is counted exactly."""

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        connection = connections[queryset.db]
        if connection.vendor == "postgresql" and not queryset.query.where:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT reltuples::bigint FROM pg_class WHERE oid = to_regclass(%s)",
                    [queryset.model._meta.db_table],
                )
                row = cursor.fetchone()
            if row and row[0] > ESTIMATE_ABOVE:
                return row[0]
        return super().count


class SortableByOnlyChangeList(ChangeList):
    """Refuses ``?o=`` on a column ``sortable_by`` leaves out, as it leaves out
    the column's link."""

    def get_ordering_field(self, field_name):
        if field_name not in self.sortable_by:
            return None
        return super().get_ordering_field(field_name)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor_label", "action", "object_type", "object_label"]
    # The actions are the enum's choices and the dates are today, the past
    # 7 days, this month and this year: neither filter queries for its choices.
    list_filter = ["action", ("created_at", admin.DateFieldListFilter)]
    show_facets = admin.ShowFacets.NEVER
    # Newest first (or oldest first) on the index; another order would sort
    # the whole trail for one page.
    sortable_by = ["created_at"]
    # What get_search_results searches (the admin shows the search box for it).
    search_fields = ["^object_label", "^actor_label", "=object_id"]
    search_help_text = _(
        "The beginning of the object (a case number, an organisation's name), "
        "the beginning of the actor's name, or the object's id."
    )
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    def get_changelist(self, request, **kwargs):
        return SortableByOnlyChangeList

    def get_search_results(self, request, queryset, search_term):
        """The whole term (not word by word) as the beginning of the object's
        label or of the actor's name, case-insensitively, or as the object's
        id: each on its own index (migration audit/0006)."""
        term = search_term.strip()
        if not term:
            return queryset, False
        matches = (
            Q(object_label__istartswith=term) | Q(actor_label__istartswith=term) | Q(object_id=term)
        )
        return queryset.filter(matches), False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
