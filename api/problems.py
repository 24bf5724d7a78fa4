"""Errors as problem details (RFC 9457): application/problem+json with type, title, status, detail.

Validation errors keep DRF's field messages under `errors`. Django's ValidationError from a
service (a model's full_clean) becomes a 400 like a serializer's.
"""

from http import HTTPStatus

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions
from rest_framework.views import exception_handler

PROBLEM_CONTENT_TYPE = "application/problem+json"
PROBLEM_BASE = "https://inburgering-westfriesland.nl/problemen/"


def problem_exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        detail = (
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
        exc = exceptions.ValidationError(detail=detail)
    response = exception_handler(exc, context)
    if response is None:
        return None
    status = response.status_code
    try:
        title = HTTPStatus(status).phrase
    except ValueError:
        title = "Error"
    data = response.data
    problem = {
        "type": PROBLEM_BASE + (getattr(exc, "default_code", "") or "error").replace("_", "-"),
        "title": title,
        "status": status,
    }
    if isinstance(exc, exceptions.ValidationError):
        problem["detail"] = "De invoer is ongeldig."
        problem["errors"] = data
    elif isinstance(data, dict) and "detail" in data:
        problem["detail"] = str(data["detail"])
    else:
        problem["detail"] = str(data)
    response.data = problem
    response.content_type = PROBLEM_CONTENT_TYPE
    return response
