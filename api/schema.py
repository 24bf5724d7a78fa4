"""The OpenAPI schema as the API answers (issue 16, schemathesis `--checks all`).

Every operation may answer a problem (RFC 9457, api/problems.py): 400 bad input, 401 no or a
wrong token, 403 a token without the scope, 404 not visible or not there. drf-spectacular lists
only the success responses, so this post-processing hook declares the problems on every
operation, with their schema and media type.
"""

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_SCHEMA = {
    "type": "object",
    "description": "Problem details (RFC 9457).",
    "properties": {
        "type": {"type": "string", "format": "uri"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {
            "description": "Per field the messages, for a 400 on bad input.",
            "type": "object",
            "additionalProperties": True,
        },
    },
    "required": ["type", "title", "status"],
}
PROBLEMS = {
    "400": "De invoer is ongeldig.",
    "401": "Geen of een ongeldig token.",
    "403": "Het token heeft niet de benodigde scope.",
    "404": "Niet gevonden, of niet zichtbaar voor deze client.",
}


def add_problem_responses(result, generator, request, public):
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    reference = {"$ref": "#/components/schemas/Problem"}
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if method not in ("get", "put", "post", "patch", "delete", "head", "options"):
                continue
            responses = operation.setdefault("responses", {})
            for status, description in PROBLEMS.items():
                responses.setdefault(
                    status,
                    {
                        "content": {PROBLEM_MEDIA_TYPE: {"schema": reference}},
                        "description": description,
                    },
                )
    return result
