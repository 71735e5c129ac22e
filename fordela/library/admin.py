"""The library in Django's admin: to look, not to edit. Every change goes
through the editors' pages (services with their audit events)."""

from django.contrib import admin

from .models import Material, MaterialPart


class PartInline(admin.TabularInline):
    model = MaterialPart
    extra = 0
    can_delete = False
    readonly_fields = ["position", "title", "description", "url"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Material)
class MaterialAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "publisher", "status", "updated_on"]
    list_filter = ["status", "kind"]
    search_fields = ["title"]
    list_select_related = ["publisher"]
    inlines = [PartInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
