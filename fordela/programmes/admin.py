from django.contrib import admin

from .models import AppropriationLine, Pool, Programme, ProgrammeYear


class ProgrammeYearInline(admin.TabularInline):
    model = ProgrammeYear
    extra = 0


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["reference_number", "title", "first_year", "last_year"]
    inlines = [ProgrammeYearInline]


class PoolInline(admin.TabularInline):
    model = Pool
    extra = 0
    fk_name = "programme_year"

    def get_formset(self, request, obj=None, **kwargs):
        # A top-up tops up a pool of its own year: each row's choices are that
        # year's pools with their year ("Kommuner 2021") in the same query, not
        # every pool of every programme with a query each for its year.
        formset = super().get_formset(request, obj, **kwargs)
        pools = Pool.objects.filter(programme_year=obj) if obj else Pool.objects.none()
        formset.form.base_fields["top_up_of"].queryset = pools.select_related("programme_year")
        return formset


class AppropriationLineInline(admin.TabularInline):
    model = AppropriationLine
    extra = 0


@admin.register(ProgrammeYear)
class ProgrammeYearAdmin(admin.ModelAdmin):
    list_display = ["programme", "year", "total_sek"]
    list_select_related = ["programme"]
    inlines = [PoolInline, AppropriationLineInline]
