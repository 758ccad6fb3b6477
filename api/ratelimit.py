"""Fixed-window rate limits with the IETF RateLimit / RateLimit-Policy headers; 429 with Retry-After.

Counters live in process by default; with AXR_REDIS_URL they live in Redis so API workers share them.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any, Protocol

from fastapi import Request, Response

from core.errors import PROBLEM_BASE, AppError
from core.korean import duration_ko


class TooManyRequests(AppError):
    status = 429
    type = PROBLEM_BASE + "rate-limited"
    title_ko = "요청이 너무 많습니다"
    title_en = "Too many requests"


class Counter(Protocol):
    def hit(self, key: str, window: int, by: int = 1) -> tuple[int, int]:
        """Count `by` (1; -1 takes one back); return (count in this window, seconds until it resets)."""

    def mark(self, key: str, ttl: int) -> None:
        """Remember `key` for `ttl` seconds."""

    def marked(self, key: str) -> bool:
        """Whether `key` was marked within its ttl."""


class MemoryCounter:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: dict[str, tuple[int, int, int]] = {}  # key -> (window start, count, window)
        self._marks: dict[str, float] = {}  # key -> expiry

    def hit(self, key: str, window: int, by: int = 1) -> tuple[int, int]:
        now = int(time.time())
        start = now - now % window
        with self._lock:
            bucket, count, _ = self._counts.get(key, (start, 0, window))
            if bucket != start:
                bucket, count = start, 0
            count += by
            self._counts[key] = (bucket, count, window)
            if len(self._counts) > 100_000:  # drop ended windows (each key keeps its own window)
                self._counts = {k: v for k, v in self._counts.items() if v[0] + v[2] > now}
        return count, start + window - now

    def mark(self, key: str, ttl: int) -> None:
        now = time.time()
        with self._lock:
            self._marks[key] = now + ttl
            if len(self._marks) > 100_000:
                self._marks = {k: v for k, v in self._marks.items() if v > now}

    def marked(self, key: str) -> bool:
        with self._lock:
            return self._marks.get(key, 0.0) > time.time()


class RedisCounter:
    """Counters shared by every API worker: one key per (caller, window), expiring with the window."""

    def __init__(self, url: str, prefix: str = "axr") -> None:
        import redis

        self._redis = redis.Redis.from_url(url)
        self._prefix = prefix

    def hit(self, key: str, window: int, by: int = 1) -> tuple[int, int]:
        now = int(time.time())
        start = now - now % window
        rkey = f"{self._prefix}:rl:{key}:{start}"
        pipe = self._redis.pipeline()
        pipe.incrby(rkey, by)
        pipe.expire(rkey, window + 1)
        count, _ = pipe.execute()
        return int(count), start + window - now

    def mark(self, key: str, ttl: int) -> None:
        self._redis.set(f"{self._prefix}:mark:{key}", 1, ex=ttl)

    def marked(self, key: str) -> bool:
        return bool(self._redis.exists(f"{self._prefix}:mark:{key}"))


@dataclass
class RateLimiter:
    """Fixed-window limits: per client for callers with a valid token, per IP address for the others."""

    counter: Counter
    limit: int
    window: int
    policy_name: str = "public"
    client_limit: int | None = None
    client_policy_name: str = "client"

    def _caller(self, request: Request) -> tuple[str, str, int]:
        principal = getattr(request.state, "principal", None) or _token_principal(request)
        if principal is not None and self.client_limit is not None:
            client = principal.client_id if principal.client_id not in (None, "axr-cli", "axr-local") \
                else principal.sub
            return self.client_policy_name, f"client:{client}", self.client_limit
        if principal is not None and principal.client_id:  # no separate client quota configured
            return self.policy_name, f"client:{principal.client_id}", self.limit
        return self.policy_name, f"ip:{request.client.host if request.client else 'unknown'}", self.limit

    def check(self, request: Request, response: Response) -> None:
        policy, who, limit = self._caller(request)
        count, reset = self.counter.hit(f"{policy}:{who}", self.window)
        remaining = max(0, limit - count)
        headers = {"RateLimit-Policy": f'"{policy}";q={limit};w={self.window}',
                   "RateLimit": f'"{policy}";r={remaining};t={reset}'}
        if count > limit:
            raise TooManyRequests(f"{duration_ko(reset)} 후에 다시 시도하세요.", f"Retry in {reset} seconds.",
                                  headers={**headers, "Retry-After": str(reset)})
        response.headers.update(headers)
        request.state.rate_limit_headers = headers  # for routes that build their own Response


def copy_headers(request: Request, response: Response) -> Response:
    """Routes that return a Response of their own (HTML, streams) pass the RateLimit headers on with this."""
    response.headers.update(getattr(request.state, "rate_limit_headers", {}))
    return response


def _token_principal(request: Request) -> Any:
    """The caller of a public route that sends its token anyway is counted as that client."""
    header = request.headers.get("authorization", "")
    if not header.lower().startswith("bearer "):
        return None
    try:
        principal = request.app.state.tokens.verify(header[7:].strip())
        request.app.state.account_gate.admit(principal)  # a disabled account's token is no client
    except Exception:  # noqa: BLE001 - a bad token on a public route counts against the IP
        return None
    return principal


def make_limiter(redis_url: str | None, limit: int, window: int, *, client_limit: int | None = None,
                 prefix: str = "axr", policy_name: str = "public", counter: Counter | None = None) -> RateLimiter:
    if counter is None:
        counter = RedisCounter(redis_url, prefix) if redis_url else MemoryCounter()
    return RateLimiter(counter, limit, window, policy_name=policy_name, client_limit=client_limit)


def public_rate_limit(request: Request, response: Response) -> None:
    request.app.state.public_limiter.check(request, response)


def page_rate_limit(request: Request, response: Response) -> None:
    """The HTML pages' own bucket, higher than the API's: a school or a factory shares one address."""
    request.app.state.page_limiter.check(request, response)
