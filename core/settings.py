"""One settings object for the whole service, read from environment variables prefixed AXR_."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="AXR_", env_file=".env", extra="ignore")

    database_url: str = Field("sqlite:///./axr.db", description="SQLAlchemy URL; sqlite:/// or postgresql+psycopg://")
    data_dir: Path = Field(Path("./var"), description="Keys, search index and other local state")
    public_base_url: str = Field("http://127.0.0.1:8000", description="Base URL of links (feed, webhooks, "
                                 "exports); `axr serve` sets it from --host/--port unless it is given")

    # Tokens
    oidc_issuer: str | None = Field(None, description="External OIDC issuer; when set its JWKS is trusted too")
    oidc_jwks_url: str | None = Field(
        None, description="JWKS URL of the external issuer (default: issuer + /.well-known/jwks.json)")
    # The web application's sign-in at the external issuer (api/web/external_signin.py): set the client id
    # the ministry identity provider registered for this registry and /web/signin goes there instead of the
    # embedded sign-in form (authorization code + PKCE; endpoints from the issuer's discovery document
    # unless given)
    oidc_web_client_id: str | None = Field(None, description="Client id of the web application at AXR_OIDC_ISSUER")
    oidc_web_client_secret: str | None = Field(
        None, description="Its secret, when the identity provider registered it as a confidential client")
    oidc_web_scope: str = Field("openid", description="Scopes asked for at the external issuer")
    oidc_authorization_url: str | None = Field(
        None, description="Default: authorization_endpoint of issuer + /.well-known/openid-configuration")
    oidc_token_url: str | None = Field(None, description="Default: token_endpoint of the discovery document")
    token_issuer: str = Field("urn:axr:embedded-issuer", description="`iss` of tokens minted by the embedded issuer")
    token_audience: str = Field("axr-api", description="`aud` expected in access tokens")
    token_ttl_seconds: int = Field(900, ge=60, le=86400)
    demo_sign_in_hint: bool = Field(False, description="The web sign-in form lists a demo account of each role "
                                                     "(on for `axr serve --demo`; never in production)")
    web_session_seconds: int = Field(8 * 3600, ge=60, le=7 * 86400,
                                     description="A web application session ends this long after sign-in")
    signing_key_file: Path | None = Field(
        None, description="Ed25519 private JWK file; default data_dir/signing-key.json")

    # HTTP
    cors_origins: list[str] = Field(default_factory=list)
    max_body_bytes: int = Field(1_000_000, description="Requests above this size get 413")
    page_size_default: int = 20
    page_size_max: int = 100
    idempotency_ttl_hours: int = Field(48, ge=24)
    idempotency_lease_seconds: int = Field(
        60, ge=1, description="How long a reserved Idempotency-Key waits for its request; a retry after "
                              "that takes the key over (a request that crashed never finishes)")
    forwarded_allow_ips: str = Field(
        "", description="Reverse proxies whose X-Forwarded-For/-Proto are believed (comma-separated IPs or "
                        "CIDRs, as uvicorn's forwarded_allow_ips); empty: believe no one, the peer address counts")

    # Rate limits (requests per window) for public endpoints
    rate_limit_public: int = 60
    rate_limit_window_seconds: int = 60
    rate_limit_pages: int = Field(600, description="Requests per window and IP address for the public HTML pages, "
                                                   "counted apart from the API's")
    redis_url: str | None = None
    rate_limit_client: int = Field(600, description="Requests per window for a caller with a valid token")
    redis_prefix: str = Field("axr", description="Key prefix of the rate-limit counters in Redis")
    # Failed logins at the token endpoint (api/auth/login_guard.py): per account and address, per address,
    # per account from addresses it has not signed in from
    login_window_seconds: int = Field(900, ge=1)
    login_max_failures: int = Field(5, ge=1)
    login_max_failures_ip: int = Field(50, ge=1)
    login_max_failures_account: int = Field(20, ge=1)
    account_check_seconds: float = Field(
        5.0, ge=0, le=5, description="How long a disabled account's tokens may still pass in another worker")

    # Portals: webhooks and their delivery worker
    webhook_allow_private: bool = Field(False, description="Admit loopback/private webhook URLs (tests only)")
    webhook_timeout_seconds: float = 10.0
    worker_embedded: bool = Field(False, description="Deliver webhooks and notices in threads of the API (on for "
                                                        "axr serve)")
    worker_poll_seconds: float = 1.0

    # Search
    search_warm: bool = Field(False, description="Load Kiwi and the search index at start-up, in a background "
                                                 "thread, so the first search does not wait (on for axr serve)")
    meili_url: str | None = None
    meili_key: str | None = None
    index_dir: Path | None = Field(None, description="Embedded search index folder; default data_dir/index")

    # Designation
    panel_size: int = 3
    review_quorum: int = 2
    pass_mark: float = 3.0
    certificate_years: int = 3
    appeal_days: int = Field(30, ge=1, le=365, description="Days after a rejection, suspension or revocation "
                                                           "within which the supplier may appeal (이의신청)")
    documents_dir: Path | None = Field(None, description="Evidence documents, stored by SHA-256; default "
                                                         "data_dir/documents")
    document_max_bytes: int = Field(10_000_000, ge=1, description="Largest evidence file accepted (413 above)")
    documents_store: Literal["local", "s3"] = Field(
        "local", description="Where document bytes live: local (documents_dir) or s3 (an S3-compatible object "
                             "store; credentials from the standard AWS variables / boto3 chain)")
    s3_endpoint_url: str | None = Field(None, description="S3-compatible endpoint, e.g. https://s3.ap-northeast-2"
                                                          ".amazonaws.com or a MinIO URL; unset: AWS's default")
    s3_bucket: str | None = Field(None, description="Bucket of the documents (required for documents_store=s3)")
    s3_prefix: str = Field("documents/", description="Key prefix; objects are <prefix><sha[:2]>/<sha>")
    clamd_socket: str | None = Field(None, description="clamd's unix socket path (or tcp://host:port): every upload "
                                                       "is virus-scanned; unset: stored as not scanned")
    clamd_timeout_seconds: float = Field(30.0, gt=0, description="How long a scan may take before the upload is "
                                                                 "refused (503)")
    report_grace_days: int = Field(30, ge=0, le=365, description="Days after an annual report's due date before "
                                                                "a missed report opens a suspension case")

    # Notices (notices/): the in-app inbox always; e-mail when an SMTP server is configured
    smtp_url: str | None = Field(None, description="smtp://host:port (STARTTLS if offered) or smtps://host:port, "
                                                   "optionally with user:password@; unset: no e-mail")
    smtp_from: str = Field("noreply@axr.go.kr", description="Sender address of notice e-mails")
    smtp_timeout_seconds: float = 10.0

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    def key_file(self) -> Path:
        return self.signing_key_file or self.data_dir / "signing-key.json"

    def documents_path(self) -> Path:
        return self.documents_dir or self.data_dir / "documents"

    def search_dir(self) -> Path:
        return self.index_dir or self.data_dir / "index"


@lru_cache
def get_settings() -> Settings:
    return Settings()
