"""The material library's pages: the public list with search and filters,
an entry's page and its PDF, and the editors' pages (their entries, create,
change, publish, unpublish). Views parse input, call one service and
render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fordela.core.downloads import file_download
from fordela.core.pagination import page_of
from fordela.organisations.models import Organisation

from . import services
from .forms import MaterialFilterForm, MaterialForm, filled_parts, part_formset
from .models import Material, MaterialPart, MaterialStatus

PER_PAGE = 20


def _with_tags(rows):
    return rows.prefetch_related("target_groups", "topics")


# ------------------------------------------------------------------ public


@require_GET
def material_list(request):
    publishers = Organisation.objects.filter(materials__status=MaterialStatus.PUBLISHED)
    form = MaterialFilterForm(
        request.GET or None, publishers=publishers.distinct().order_by("name")
    )
    rows = services.published().order_by("title", "pk")
    # Each valid filter applies; an invalid one is shown beside its field.
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    if data.get("kind"):
        rows = rows.filter(kind=data["kind"])
    if data.get("publisher"):
        rows = rows.filter(publisher_id=data["publisher"])
    if data.get("target_group"):
        rows = rows.filter(target_groups__group=data["target_group"])
    if data.get("topic"):
        rows = rows.filter(topics__topic=data["topic"])
    rows = services.search(rows, data.get("q") or "")
    page = page_of(request, _with_tags(rows), per_page=PER_PAGE)
    return render(
        request,
        "library/list.html",
        {
            "form": form,
            "page": page,
            "filtered": any(data.values()),
            "may_edit": services.may_edit_some(request.user),
        },
    )


def _visible(request, pk: int) -> Material:
    """A published entry, or a draft for those who edit it; 404 otherwise
    (a draft is not there for anyone else)."""
    material = get_object_or_404(
        _with_tags(Material.objects.select_related("publisher")).prefetch_related(
            Prefetch("parts", queryset=MaterialPart.objects.order_by("position"))
        ),
        pk=pk,
    )
    if not material.is_published and not services.may_edit(request.user, material):
        raise Http404
    return material


@require_GET
def material_detail(request, pk: int):
    material = _visible(request, pk)
    return render(
        request,
        "library/detail.html",
        {"material": material, "may_edit": services.may_edit(request.user, material)},
    )


@require_GET
def material_file(request, pk: int):
    material = _visible(request, pk)
    if not material.file:
        raise Http404
    return file_download(material.file, material.file_name or f"{material.title}.pdf")


# ------------------------------------------------------------------ editors


@login_required
@require_GET
def my_materials(request):
    if not services.may_edit_some(request.user):
        raise PermissionDenied("edit_materials")
    rows = services.editable_materials(request.user)
    return render(request, "library/mine.html", {"page": page_of(request, rows)})


def _service_errors(error: ValidationError, form: MaterialForm, parts) -> None:
    """The service's errors beside their fields; a part's ("part-2-url")
    beside that part's field."""
    if hasattr(error, "error_dict"):
        for name, messages_ in error.message_dict.items():
            if name.startswith("part-"):
                _prefix, number, field = name.split("-", 2)
                for message in messages_:
                    parts.forms[int(number) - 1].add_error(field, message)
            else:
                for message in messages_:
                    form.add_error(form.field_for_error(name), message)
    else:
        form.add_service_errors(error)


def _edit_page(request, material: Material | None):
    publishers = services.editable_publishers(request.user).order_by("name")
    if material is None:
        initial = {}
        if len(publishers) == 1:
            initial["publisher"] = publishers[0]
    else:
        initial = {
            "title": material.title,
            "summary": material.summary,
            "kind": material.kind,
            "publisher": material.publisher,
            "publisher_unit": material.publisher_unit,
            "url": material.url,
            "target_groups": [row.group for row in material.target_groups.all()],
            "topics": [row.topic for row in material.topics.all()],
        }
    bound = request.method == "POST"
    form = MaterialForm(
        request.POST if bound else None,
        request.FILES if bound else None,
        initial=initial,
        publishers=publishers,
    )
    parts = part_formset(
        request.POST if bound else None, parts=material.parts.all() if material else ()
    )
    if bound and form.is_valid() & parts.is_valid():
        try:
            values = form.values(filled_parts(parts))
            if material is None:
                material = services.create_material(request.user, values, form.upload())
                messages.success(request, _("The entry was saved as a draft."))
            else:
                material = services.update_material(request.user, material, values, form.upload())
                messages.success(request, _("The entry was saved."))
            return redirect("library:detail", pk=material.pk)
        except ValidationError as error:
            _service_errors(error, form, parts)
    return render(
        request,
        "library/edit.html",
        {"form": form, "parts": parts, "material": material, "all_forms": [form, *parts]},
        status=400 if bound else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def create_material(request):
    if not services.may_edit_some(request.user):
        raise PermissionDenied("edit_materials")
    return _edit_page(request, None)


def _editable(request, pk: int) -> Material:
    material = get_object_or_404(Material.objects.select_related("publisher"), pk=pk)
    services.require_edit(request.user, material)
    return material


@login_required
@require_http_methods(["GET", "POST"])
def edit_material(request, pk: int):
    return _edit_page(request, _editable(request, pk))


def _change_status(request, pk: int, change, done: str):
    material = _editable(request, pk)
    try:
        change(request.user, material)
        messages.success(request, done)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("library:detail", pk=material.pk)


@login_required
@require_POST
def publish_material(request, pk: int):
    return _change_status(request, pk, services.publish, _("The entry was published."))


@login_required
@require_POST
def unpublish_material(request, pk: int):
    return _change_status(
        request, pk, services.unpublish, _("The entry was taken out of the public list.")
    )
