"""Look-ups shared by views and management commands."""

from django.utils.text import slugify

from .models import Pool, Programme


def programme_slug(reference_number: str) -> str:
    """``S2020/01591`` → ``s2020-01591`` (a URL-safe form of the dnr)."""
    return slugify(reference_number.replace("/", "-"))


def find_pool(programme: str, year: int, pool_slug: str) -> Pool:
    """Find a pool by programme (dnr or slug), year and pool slug.

    Raises ``Pool.DoesNotExist`` when there is no such pool.
    """
    return Pool.objects.select_related("programme_year__programme").get(
        programme_year__programme__slug=programme_slug(programme),
        programme_year__year=year,
        slug=pool_slug,
    )


def programme_by_slug(slug: str) -> Programme:
    return Programme.objects.get(slug=slug)
