"""Agency roles in Django's admin: given and taken through the services, so
each change is audited (granskningslogg) like every other."""

from django.contrib import admin

from . import services
from .models import StaffAssignment


@admin.register(StaffAssignment)
class StaffAssignmentAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "created_at"]
    list_select_related = ["user"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "user__email"]
    raw_id_fields = ["user"]
    fields = ["user", "role"]

    # Administrators only; a role is given or taken, never edited.
    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return self.has_module_permission(request)

    def has_delete_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        # The form has validated the user and the role; the service writes
        # the row and its audit event.
        saved = services.grant_staff_role(request.user, obj.user, obj.role)
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        services.revoke_staff_role(request.user, obj)

    def delete_queryset(self, request, queryset):
        # Django's "delete selected" action: one audited revocation each.
        for assignment in queryset:
            services.revoke_staff_role(request.user, assignment)
