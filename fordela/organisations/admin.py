from django.contrib import admin

from .models import Organisation, Population


class PopulationInline(admin.TabularInline):
    model = Population
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "kind",
        "organisation_number",
        "municipality_code",
        "region_county_code",
        "county_name",
    ]
    list_filter = ["kind", "county_name"]
    search_fields = ["name", "organisation_number", "municipality_code"]
    # The register may hold 100 000 organisations: a search counts its own
    # matches, not the whole table a second time.
    show_full_result_count = False
    inlines = [PopulationInline]
