"""Fixed-window rate limits with the IETF RateLimit / RateLimit-Policy headers; 429 with Retry-After.

Counters live in process by default; with AXR_REDIS_URL they live in Redis so API workers share them.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Protocol

from fastapi import Request, Response

from core.errors import PROBLEM_BASE, AppError


class TooManyRequests(AppError):
    status = 429
    type = PROBLEM_BASE + "rate-limited"
    title_ko = "요청이 너무 많습니다"
    title_en = "Too many requests"


class Counter(Protocol):
    def hit(self, key: str, window: int) -> tuple[int, int]:
        """Count one request; return (count in this window, seconds until the window resets)."""


class MemoryCounter:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: dict[str, tuple[int, int]] = {}

    def hit(self, key: str, window: int) -> tuple[int, int]:
        now = int(time.time())
        start = now - now % window
        with self._lock:
            bucket, count = self._counts.get(key, (start, 0))
            if bucket != start:
                bucket, count = start, 0
            count += 1
            self._counts[key] = (bucket, count)
            if len(self._counts) > 100_000:  # drop stale windows
                self._counts = {k: v for k, v in self._counts.items() if v[0] == start}
        return count, start + window - now


class RedisCounter:
    def __init__(self, url: str) -> None:
        import redis

        self._redis = redis.Redis.from_url(url)

    def hit(self, key: str, window: int) -> tuple[int, int]:
        now = int(time.time())
        start = now - now % window
        rkey = f"axr:rl:{key}:{start}"
        pipe = self._redis.pipeline()
        pipe.incr(rkey)
        pipe.expire(rkey, window + 1)
        count, _ = pipe.execute()
        return int(count), start + window - now


@dataclass
class RateLimiter:
    counter: Counter
    limit: int
    window: int
    policy_name: str = "public"

    def check(self, request: Request, response: Response) -> None:
        client = request.client.host if request.client else "unknown"
        principal = getattr(request.state, "principal", None)
        who = f"client:{principal.client_id}" if principal is not None and principal.client_id else f"ip:{client}"
        count, reset = self.counter.hit(f"{self.policy_name}:{who}", self.window)
        remaining = max(0, self.limit - count)
        headers = {"RateLimit-Policy": f'"{self.policy_name}";q={self.limit};w={self.window}',
                   "RateLimit": f'"{self.policy_name}";r={remaining};t={reset}'}
        if count > self.limit:
            raise TooManyRequests(f"{reset}초 후에 다시 시도하세요.", f"Retry in {reset} seconds.",
                                  headers={**headers, "Retry-After": str(reset)})
        response.headers.update(headers)


def make_limiter(redis_url: str | None, limit: int, window: int) -> RateLimiter:
    counter: Counter = RedisCounter(redis_url) if redis_url else MemoryCounter()
    return RateLimiter(counter, limit, window)


def public_rate_limit(request: Request, response: Response) -> None:
    request.app.state.public_limiter.check(request, response)
