"""The application factory: settings, database, token service, middleware, error handlers, routers."""

from __future__ import annotations

import threading
from collections.abc import Callable

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi_offline import FastAPIOffline
from sqlalchemy import Engine

from api import openapi, problems
from api.auth import install as install_auth
from api.auth.tokens import TokenService
from api.middleware import IdempotencyMiddleware, LimitsMiddleware
from api.ratelimit import make_limiter
from api.routers import (  # portals and the public
    appeals,
    audit,
    calls,
    companies,
    designation,
    documents,
    exports,
    feed,
    health,
    monitoring,
    notices,
    oauth,
    pages,
    pages_calls,
    programme,
    public,
    search,
    shopdata,
    smes,
    solutions,
    webhooks,
)
from api.web import admin as web_admin
from api.web import admin_budgets as web_admin_budgets
from api.web import admin_calls as web_admin_calls
from api.web import admin_completions as web_admin_completions
from api.web import admin_kpis as web_admin_kpis
from api.web import admin_panel as web_admin_panel
from api.web import admin_selection as web_admin_selection
from api.web import admin_users as web_admin_users
from api.web import certificates as web_certificates
from api.web import reviewer as web_reviewer
from api.web import session as web_session
from api.web import signin as web_signin
from api.web import sme as web_sme
from api.web import sme_outcomes as web_sme_outcomes
from api.web import sme_projects as web_sme_projects
from api.web import supplier as web_supplier
from api.web import supplier_apply as web_supplier_apply
from api.web import supplier_profile as web_supplier_profile
from api.web import supplier_reports as web_supplier_reports
from api.web.external_signin import ExternalSignIn
from core.db import make_engine
from core.keys import signing_key, tree_head_signer
from core.settings import Settings, get_settings
from matching.service import SearchService

VERSION = "0.1.0"

DESCRIPTION = """
**AX Registry** (제조 AI 전문기업 지정·매칭 등록부): the national registry of designated
manufacturing-AI suppliers and the smart-factory SMEs that adopt their solutions.

- 공급기업(supplier): 기업·솔루션 등록, 지정 신청 / register, publish solutions, apply for designation
- 수요기업(SME): 수요 등록, 솔루션 검색·매칭 / keep needs, search and match solutions
- 심사위원(reviewer), 관리자(admin), 외부 포털(portal: OAuth2 client credentials)

Errors are RFC 9457 `application/problem+json`, Korean by default, English with `Accept-Language: en`.
Creating POSTs accept `Idempotency-Key`; updates need `If-Match` with the resource's `ETag`.
"""


def create_app(settings: Settings | None = None, engine: Engine | None = None) -> FastAPI:
    settings = settings or get_settings()
    # Swagger UI and ReDoc served from the package, not a CDN: /docs works on a closed network.
    app = FastAPIOffline(title="AX Registry API", version=VERSION, description=DESCRIPTION,
                  openapi_tags=[{"name": n} for n in ("auth", "companies", "solutions", "smes", "needs",
                                                      "designation", "notices", "search", "programme", "data", "public",
                                                      "health")])
    app.state.settings = settings
    app.state.engine = engine or make_engine(settings.database_url)
    app.state.tokens = TokenService(
        key=signing_key(settings.key_file()), issuer=settings.token_issuer, audience=settings.token_audience,
        ttl=settings.token_ttl_seconds, external_issuer=settings.oidc_issuer,
        external_jwks_url=settings.oidc_jwks_url)
    app.state.external_signin = ExternalSignIn.from_settings(settings)  # the web's sign-in at AXR_OIDC_ISSUER
    app.state.audit_signer = tree_head_signer(app.state.tokens.key)
    app.state.public_limiter = make_limiter(settings.redis_url, settings.rate_limit_public,
                                            settings.rate_limit_window_seconds,
                                            client_limit=settings.rate_limit_client, prefix=settings.redis_prefix)
    app.state.page_limiter = make_limiter(settings.redis_url, settings.rate_limit_pages,
                                          settings.rate_limit_window_seconds, policy_name="pages",
                                          counter=app.state.public_limiter.counter)
    app.state.problem_page = pages.problem_page  # errors on the public pages are pages too
    install_auth(app)  # the per-request account check and the login guard (shares those counters)
    app.state.search = _lazy_search(settings, app.state.engine)
    problems.install(app)
    for router in (health.router, oauth.router, companies.router, solutions.router, smes.smes, smes.needs,
                   designation.router, calls.admin, calls.public, appeals.router, documents.router,
                   monitoring.router, notices.router, public.router, search.router, programme.router,
                   shopdata.router, shopdata.public):
        app.include_router(router)
    app.include_router(audit.router)
    app.include_router(feed.router)
    app.include_router(webhooks.router)
    app.include_router(exports.router)
    app.include_router(pages.router)
    app.include_router(pages_calls.router)
    app.include_router(web_signin.router)  # the web application for working users (api/web)
    app.include_router(web_sme.router)
    app.include_router(web_sme_projects.router)
    app.include_router(web_certificates.router)
    app.include_router(web_sme_outcomes.router)
    app.include_router(web_reviewer.router)
    app.include_router(web_admin.router)
    app.include_router(web_admin_budgets.router)
    app.include_router(web_admin_kpis.router)
    app.include_router(web_admin_selection.router)
    app.include_router(web_supplier.router)
    app.include_router(web_supplier_apply.router)
    app.include_router(web_supplier_profile.router)
    app.include_router(web_supplier_reports.router)
    app.include_router(web_admin_completions.router)
    app.include_router(web_admin_calls.router)
    app.include_router(web_admin_panel.router)
    app.include_router(web_admin_users.router)
    web_session.install(app)
    openapi.install(app)  # every status each operation can answer, stated from its dependencies
    app.add_middleware(IdempotencyMiddleware, state=app.state)
    if settings.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins, allow_methods=["*"],
                           allow_headers=["*"], expose_headers=["ETag", "Location", "RateLimit", "Retry-After"])
    app.add_middleware(LimitsMiddleware, max_body=settings.max_body_bytes, upload_max=settings.document_max_bytes)
    return app


def _lazy_search(settings: Settings, engine: Engine) -> Callable[..., SearchService]:
    """The search service is built on first use, so Kiwi (about 0.5 GB) loads only where search runs.
    `get(wait=s)`: a request does not wait longer than that for a build another thread runs (the
    warm-up); it is told 503 "loading", as /v1/health/ready tells a load balancer."""
    lock = threading.Lock()
    holder: list[SearchService] = []

    def get(wait: float | None = None) -> SearchService:
        if not holder:
            if not lock.acquire(timeout=-1 if wait is None else wait):
                from api.search_runtime import SearchLoading

                raise SearchLoading()
            try:
                if not holder:
                    from api.search_runtime import build_search_service

                    holder.append(build_search_service(settings, engine))
            finally:
                lock.release()
        return holder[0]

    return get
