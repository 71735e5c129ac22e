"""A service's refusal shown to the user on the next page."""

from django.contrib import messages
from django.core.exceptions import ValidationError


def flash_errors(request, error: ValidationError) -> None:
    """Each of the refusal's (Swedish) messages as an error message."""
    for message in error.messages:
        messages.error(request, message)
