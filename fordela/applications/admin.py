"""Admin for the settings an agency edits by hand: calls and the appeal
paragraph per decision outcome (decisions.md 8). Questions are changed through
new question set versions (``calls.new_version``), never in place."""

from django.contrib import admin

from .models import AppealParagraph, Call, QuestionSet


@admin.register(AppealParagraph)
class AppealParagraphAdmin(admin.ModelAdmin):
    list_display = ["outcome", "text"]


class QuestionSetInline(admin.TabularInline):
    model = QuestionSet
    extra = 0
    fields = ["version", "status", "published_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = ["title", "pool", "opens_on", "closes_on", "needs_consultation"]
    # The pool's name is "Ideella 2021": its programme year in the same query.
    list_select_related = ["pool__programme_year"]
    readonly_fields = ["pool", "question_set", "copied_from"]
    inlines = [QuestionSetInline]
