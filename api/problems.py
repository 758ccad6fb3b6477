"""RFC 9457 problem+json for every error, in Korean by default and English with Accept-Language: en."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.routing import iter_route_contexts
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from core import i18n
from core.errors import PROBLEM_BASE, AppError, Conflict, PreconditionFailed

log = logging.getLogger("axr.api")
PROBLEM_JSON = "application/problem+json"
_KO_MESSAGES = i18n.PLAIN_KO  # the CLI words pydantic errors with these

_HTTP_TITLES = {
    400: ("잘못된 요청입니다", "Bad request"),
    401: ("인증이 필요합니다", "Authentication required"),
    403: ("권한이 없습니다", "Forbidden"),
    404: ("찾을 수 없습니다", "Not found"),
    405: ("허용되지 않는 메서드입니다", "Method not allowed"),
    406: ("제공할 수 없는 형식입니다", "Not acceptable"),
    413: ("요청 본문이 너무 큽니다", "Request body too large"),
    415: ("지원하지 않는 미디어 형식입니다", "Unsupported media type"),
    429: ("요청이 너무 많습니다", "Too many requests"),
    500: ("서버 내부 오류입니다", "Internal server error"),
}

def wants_page(request: Request) -> bool:
    """A visitor of the public pages or the web application (or a browser on a path that is no API) gets its
    errors as an HTML page."""
    path = request.url.path
    if path in ("/", "/pages", "/web") or path.startswith(("/pages/", "/web/")):
        return "application/problem+json" not in request.headers.get("accept", "")
    return (not path.startswith(("/v1/", "/.well-known/", "/oauth", "/docs", "/openapi"))
            and "text/html" in request.headers.get("accept", ""))


def page_language(request: Request) -> str:
    """A page's language is its `lang` query parameter: en, or Korean for anything else."""
    return "en" if request.query_params.get("lang", "").lower().startswith("en") else "ko"


def language(request: Request) -> str:
    """The first language the client prefers among ko and en; Korean when it says nothing usable.
    A page answers in its own language, whatever the browser's header says."""
    if wants_page(request):
        return page_language(request)
    header = request.headers.get("accept-language", "")
    ranked = []
    for i, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        ranked.append((-q, i, tag.strip().lower()))
    for _, _, tag in sorted(ranked):
        if tag.startswith("en"):
            return "en"
        if tag.startswith("ko"):
            return "ko"
    return "ko"


def problem(request: Request, *, status: int, type_: str, title: tuple[str, str],
            detail: tuple[str | None, str | None] = (None, None), headers: dict[str, str] | None = None,
            **extra: Any) -> Response:
    render_page = getattr(request.app.state, "problem_page", None)
    if render_page is not None and wants_page(request):
        limits = getattr(request.state, "rate_limit_headers", None) or {}
        return render_page(request, status=status, title=title, detail=detail,
                           headers={**limits, **(headers or {})}, errors=extra.get("errors"))
    en = language(request) == "en"
    body: dict[str, Any] = {"type": type_, "title": title[1] if en else title[0], "status": status}
    text = detail[1] if en else detail[0]
    if text or detail[0] or detail[1]:
        body["detail"] = text or detail[0] or detail[1]
    body["instance"] = request.url.path
    body.update(extra)
    # A rate-limited route counted this request before it failed: say so on the error too.
    limits = getattr(request.state, "rate_limit_headers", None)
    if limits:
        headers = {**limits, **(headers or {})}
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _pointer(loc: tuple[Any, ...]) -> tuple[str, str]:
    where, *rest = loc if loc else ("body",)
    path = "/".join(str(p).replace("~", "~0").replace("/", "~1") for p in rest)
    return str(where), "#/" + path if where == "body" else path


def _validation(request: Request, exc: RequestValidationError) -> Response:
    en = language(request) == "en"
    errors = []
    json_broken = False
    for err in exc.errors():
        kind = err.get("type", "value_error")
        json_broken |= kind == "json_invalid"
        where, ptr = _pointer(tuple(err.get("loc", ())))
        msg = str(err.get("msg", ""))
        if not en:
            msg = i18n.message_ko(err)
        entry = {"pointer": ptr, "detail": msg, "code": kind} if where == "body" else \
            {"parameter": ptr, "in": where, "detail": msg, "code": kind}
        errors.append(entry)
    if json_broken:
        return problem(request, status=400, type_=PROBLEM_BASE + "malformed-json",
                       title=("JSON 본문을 해석할 수 없습니다", "The JSON body could not be parsed"), errors=errors)
    return problem(request, status=422, type_=PROBLEM_BASE + "validation",
                   title=("입력값이 올바르지 않습니다", "Invalid input"), errors=errors)


def allowed_methods(request: Request) -> str:
    """Every method of every route on this path (RFC 9110 section 15.5.6). FastAPI makes one route per
    method, and Starlette's 405 names only the methods of the first route whose path matched."""
    methods: set[str] = set()
    for route in iter_route_contexts(request.app.routes):
        if route.matches(request.scope)[0] != Match.NONE:
            methods |= set(route.methods or ())
    return ", ".join(sorted(methods))


def install(app: FastAPI) -> None:
    @app.exception_handler(AppError)
    async def _app_error(request: Request, exc: AppError) -> Response:
        headers = exc.extra.pop("headers", None)
        if exc.status == 401 and not headers:  # RFC 6750 section 3: every 401 names the scheme
            headers = {"WWW-Authenticate": 'Bearer realm="axr", error="invalid_token"'}
        return problem(request, status=exc.status, type_=exc.type, title=(exc.title_ko, exc.title_en),
                       detail=(exc.detail_ko, exc.detail_en), headers=headers, **exc.extra)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        return _validation(request, exc)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        title = _HTTP_TITLES.get(exc.status_code, ("요청을 처리할 수 없습니다", "Request failed"))
        headers = getattr(exc, "headers", None)
        if exc.status_code == 405:
            headers = {**(headers or {}), "Allow": allowed_methods(request)}
        return problem(request, status=exc.status_code, type_=PROBLEM_BASE + str(exc.status_code), title=title,
                       headers=headers)

    @app.exception_handler(StaleDataError)
    async def _stale(request: Request, exc: StaleDataError) -> Response:
        err = PreconditionFailed()
        return problem(request, status=err.status, type_=err.type, title=(err.title_ko, err.title_en))

    @app.exception_handler(IntegrityError)
    async def _integrity(request: Request, exc: IntegrityError) -> Response:
        log.warning("integrity error on %s: %s", request.url.path, exc.orig)
        return problem(request, status=409, type_=Conflict.type, title=(Conflict.title_ko, Conflict.title_en))

    @app.exception_handler(DataError)
    async def _data(request: Request, exc: DataError) -> Response:
        # a value the database refuses (e.g. NUL in a form field on PostgreSQL): the client's to fix, not ours
        log.warning("data error on %s: %s", request.url.path, exc.orig)
        return problem(request, status=400, type_=PROBLEM_BASE + "bad-request", title=_HTTP_TITLES[400])

    @app.exception_handler(DBAPIError)
    async def _db(request: Request, exc: DBAPIError) -> Response:
        log.exception("database error on %s", request.url.path)
        return problem(request, status=503, type_=PROBLEM_BASE + "unavailable",
                       title=("일시적으로 처리할 수 없습니다", "Temporarily unavailable"),
                       headers={"Retry-After": "1"})

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s", request.url.path)
        return problem(request, status=500, type_=PROBLEM_BASE + "internal", title=_HTTP_TITLES[500])
