"""Errors as problem details (RFC 9457): application/problem+json with type, title, status, detail.

Validation errors keep DRF's field messages under `errors`. Django's ValidationError from a
service (a model's full_clean) becomes a 400 like a serializer's.

The label goes with the body: a problem rendered as JSON is `application/problem+json`; one that
content negotiation renders otherwise (the schema endpoint's YAML, the browsable API's HTML)
keeps that renderer's own media type.
"""

from http import HTTPStatus

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView, exception_handler

PROBLEM_CONTENT_TYPE = "application/problem+json"
PROBLEM_BASE = "https://inburgering-westfriesland.nl/problemen/"


class ProblemResponse(Response):
    """A problem whose Content-Type is settled when it is rendered, once the renderer is known."""

    @property
    def rendered_content(self):
        content = super().rendered_content
        if isinstance(getattr(self, "accepted_renderer", None), JSONRenderer):
            self["Content-Type"] = PROBLEM_CONTENT_TYPE
        return content


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
    answer = ProblemResponse(problem, status=status)
    for header, value in response.items():  # WWW-Authenticate, Retry-After, Allow …
        if header.lower() != "content-type":
            answer[header] = value
    return answer


class NotFoundView(APIView):
    """Any address under the API that no endpoint matches (`/api/v1/deadlines/1.5/`): a 404 as a
    problem, like an endpoint's own, after the same authentication (an anonymous caller gets 401,
    as on every endpoint)."""

    schema = None  # not an operation

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        raise exceptions.NotFound()
