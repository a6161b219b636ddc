"""How pages tell a person what happened to their request."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest


def show_refusal(request: HttpRequest, error: ValidationError) -> None:
    """Show each reason a service refused a change as an error message."""
    for message in error.messages:
        messages.error(request, message)
