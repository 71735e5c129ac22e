from django.contrib import admin

from .models import AllocationKey


@admin.register(AllocationKey)
class AllocationKeyAdmin(admin.ModelAdmin):
    """Read-only: keys change only through the services (compute, publish)."""

    list_display = ["pool", "population_date", "amount_sek", "status", "frozen_at"]
    # The pool's name is "Kommuner 2021": its programme year in the same query.
    list_select_related = ["pool__programme_year"]
    readonly_fields = [f.name for f in AllocationKey._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
