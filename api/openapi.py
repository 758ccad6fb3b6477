"""The OpenAPI contract: what every operation can answer, stated once from what the shared layer does.

`install(app)` completes the spec FastAPI generates, route by route, from the route's own dependencies:
a token check can answer 401/403, a path parameter 404, any input 400/422, a body 413, a write 409
(a unique constraint: the IntegrityError handler), any database use 503 (DBAPIError handler), the public
rate limit 429, and an operation that documents 428 takes `If-Match` (required) and can answer 412. So
no operation has to remember to list them, and none answers a status its spec does not name.

`axr openapi` writes the served spec to openapi.yaml, and a test keeps the two equal.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import yaml
from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts

from core.settings import Settings

PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
DESCRIPTIONS = {
    400: "Bad request: malformed JSON, an invalid page cursor, or a value the database cannot store",
    401: "No or invalid token",
    403: "Forbidden: the token's role or scope does not allow this",
    404: "Not found (or not visible to you)",
    409: "Conflict with the current state: already registered, a duplicate, or an Idempotency-Key in flight",
    412: "If-Match does not match the current ETag",
    413: "Request body too large",
    422: "Invalid input",
    428: "If-Match header required",
    429: "Too many requests (see Retry-After)",
    503: "Temporarily unavailable (the database could not serve the request; retry after Retry-After)",
}
IF_MATCH = {
    "name": "If-Match", "in": "header", "required": True,
    "description": "The `ETag` of your last read (`\"3\"`), or `*`: without it 428, when stale 412",
    "schema": {"type": "string", "examples": ['"1"']},
}


def _calls(dependant: Dependant) -> Iterator[Callable[..., Any]]:
    for dep in dependant.dependencies:
        if dep.call is not None:
            yield dep.call
        yield from _calls(dep)


def _params(dependant: Dependant, kind: str) -> bool:
    return bool(getattr(dependant, kind)) or any(_params(d, kind) for d in dependant.dependencies)


def statuses(route: APIRoute) -> set[int]:
    """The error statuses the shared layer can answer for this route."""
    from api.deps import current_principal, get_read_session, get_session
    from api.ratelimit import public_rate_limit

    calls = set(_calls(route.dependant))
    has_body = route.body_field is not None
    has_input = has_body or any(_params(route.dependant, k) for k in ("path_params", "query_params",
                                                                        "header_params", "cookie_params"))
    uses_db = bool(calls & {get_session, get_read_session})
    found: set[int] = set()
    if has_input or uses_db:
        found |= {400}
    if has_input:
        found |= {422}
    if current_principal in calls:
        found |= {401, 403}
    if _params(route.dependant, "path_params"):
        found |= {404}
    if has_body:
        found |= {413}
    if get_session in calls and not route.methods <= {"GET", "HEAD"}:
        found |= {409}
    if uses_db:
        found |= {503}
    if public_rate_limit in calls:
        found |= {429}
    return found


def complete(spec: dict[str, Any], app: FastAPI) -> dict[str, Any]:
    """Add the statuses each operation can answer as problem+json, and If-Match where 428 is documented."""
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if not isinstance(route, APIRoute) or not route.include_in_schema:
            continue
        item = spec.get("paths", {}).get(context.path_format or route.path_format, {})
        for method in route.methods:
            op = item.get(method.lower())
            if op is None:
                continue
            responses = op.setdefault("responses", {})
            for status in sorted(statuses(route) | ({412} if "428" in responses else set())):
                responses.setdefault(str(status), {"description": DESCRIPTIONS[status]})
            for status, response in responses.items():
                if status[0] in "45" and status in map(str, DESCRIPTIONS):
                    # every error is RFC 9457 problem+json (FastAPI's default 422 says HTTPValidationError)
                    response["content"] = {"application/problem+json": {"schema": PROBLEM_REF}}
            op["responses"] = dict(sorted(responses.items()))
            if "428" in responses:
                params = op.setdefault("parameters", [])
                if not any(p.get("name", "").lower() == "if-match" for p in params):
                    params.append(dict(IF_MATCH))
    schemas = spec.get("components", {}).get("schemas", {})
    text = repr(spec.get("paths"))
    for unused in ("HTTPValidationError", "ValidationError"):
        if unused in schemas and f"/{unused}'" not in text:
            del schemas[unused]
    return spec


def install(app: FastAPI) -> None:
    """Serve the completed spec (computed once, like FastAPI's own)."""
    generate = app.openapi
    done: dict[int, dict[str, Any]] = {}

    def openapi() -> dict[str, Any]:
        spec = generate()
        if id(spec) not in done:
            done.clear()
            done[id(spec)] = complete(spec, app)
        return done[id(spec)]

    app.openapi = openapi  # type: ignore[method-assign]


def served_spec() -> dict[str, Any]:
    from api.app import create_app

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(database_url=f"sqlite:///{tmp}/spec.db", data_dir=Path(tmp), _env_file=None)  # type: ignore[call-arg]
        app = create_app(settings)
        spec = app.openapi()
        app.state.engine.dispose()
    return spec


def spec_yaml() -> str:
    return yaml.safe_dump(served_spec(), allow_unicode=True, sort_keys=False, width=120)
