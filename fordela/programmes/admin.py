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


class AppropriationLineInline(admin.TabularInline):
    model = AppropriationLine
    extra = 0


@admin.register(ProgrammeYear)
class ProgrammeYearAdmin(admin.ModelAdmin):
    list_display = ["programme", "year", "total_sek"]
    inlines = [PoolInline, AppropriationLineInline]
