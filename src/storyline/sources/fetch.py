"""Polite, bounded HTTP fetching: the one door through which Storyline reaches the web.

Every request names itself (User-Agent), honours robots.txt (RFC 9309: a 4xx robots file
allows all, an unreachable one disallows all), refuses private, loopback and link-local
targets unless asked (a pasted link must not reach into the user's network), follows at most
a few redirects (each hop checked again), stops reading past a size cap, times out, and retries
transient failures with exponential backoff. Every failure is a `FetchError` with one clear
message naming the URL; callers turn it into a Problem.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import socket
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import httpx
from protego import Protego

from storyline import __version__

USER_AGENT = (
    f"Storyline/{__version__} (news cross-checking research tool; "
    "+https://github.com/storyline-news/storyline)"
)
ROBOTS_AGENT = "Storyline"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
ROBOTS_MAX_BYTES = 500 * 1024


class FetchError(Exception):
    """A URL could not be fetched; `code` is short and stable, the message says why."""

    def __init__(self, url: str, code: str, message: str) -> None:
        super().__init__(f"{url}: {message}")
        self.url = url
        self.code = code
        self.reason = message


@dataclass(frozen=True, slots=True, kw_only=True)
class FetchPolicy:
    """How far a fetch may go. Defaults suit news pages; tests shorten the waits."""

    timeout_s: float = 15.0
    retries: int = 2  # extra attempts after the first, for timeouts, resets and 429/5xx
    backoff_s: float = 1.0  # first wait; doubles each retry (a Retry-After is honoured, capped)
    max_backoff_s: float = 30.0
    max_bytes: int = 5_000_000
    max_redirects: int = 5
    allow_private: bool = False
    honour_robots: bool = True


@dataclass(frozen=True, slots=True)
class Fetched:
    url: str  # as asked for
    final_url: str  # after redirects
    status: int  # 200, or 304 for a conditional GET that found nothing new
    headers: Mapping[str, str]
    body: bytes
    fetched_at: dt.datetime

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    @property
    def charset(self) -> str | None:
        for part in self.headers.get("content-type", "").split(";")[1:]:
            key, _, value = part.partition("=")
            if key.strip().lower() == "charset" and value.strip():
                return value.strip().strip('"')
        return None


Resolver = Callable[[str], list[str]]


def _resolve(host: str) -> list[str]:
    infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    return sorted({str(info[4][0]) for info in infos})


@dataclass(slots=True)
class Fetcher:
    """One HTTP client with its robots.txt cache. Use as a context manager or call close()."""

    policy: FetchPolicy = field(default_factory=FetchPolicy)
    resolver: Resolver = _resolve
    sleep: Callable[[float], None] = time.sleep
    _client: httpx.Client | None = None
    _robots: dict[str, Protego | None] = field(default_factory=dict)

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    @property
    def client(self) -> httpx.Client:
        if self._client is None:
            self._client = httpx.Client(
                headers={"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate"},
                timeout=httpx.Timeout(self.policy.timeout_s),
                follow_redirects=False,
            )
        return self._client

    def get(self, url: str, headers: Mapping[str, str] | None = None) -> Fetched:
        """The page at `url` (following redirects), or a FetchError saying why not."""
        current = url
        for _ in range(self.policy.max_redirects + 1):
            self.check_target(current)
            if self.policy.honour_robots and not self._robots_allow(current):
                raise FetchError(url, "robots", f"robots.txt of {_origin(current)} disallows it")
            response_headers, status, body = self._get_with_retries(url, current, headers)
            if status in (301, 302, 303, 307, 308):
                location = response_headers.get("location")
                if not location:
                    raise FetchError(url, "bad-redirect", f"HTTP {status} without a Location")
                current = urljoin(current, location)
                continue
            if status == 304:
                return Fetched(url, current, status, response_headers, b"", _now())
            if status >= 400:
                raise FetchError(url, f"http-{status}", f"the server answered HTTP {status}")
            return Fetched(url, current, status, response_headers, body, _now())
        raise FetchError(
            url, "redirect-loop", f"more than {self.policy.max_redirects} redirects (a loop?)"
        )

    def check_target(self, url: str) -> None:
        """Refuse what is not http(s) and, unless allowed, hosts that resolve to private,
        loopback, link-local or otherwise non-public addresses."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FetchError(url, "bad-url", "only http:// and https:// URLs can be fetched")
        if self.policy.allow_private:
            return
        host = parts.hostname
        try:
            addresses = [host] if _is_ip(host) else self.resolver(host)
        except (OSError, UnicodeError) as exc:
            raise FetchError(url, "dns", f"cannot resolve {host} ({exc})") from exc
        for address in addresses:
            ip = ipaddress.ip_address(address.split("%")[0])
            if not ip.is_global or ip.is_multicast:
                raise FetchError(
                    url,
                    "private-address",
                    f"{host} is a private, loopback or link-local address ({ip}); "
                    "pass --allow-private to fetch it anyway",
                )

    def _get_with_retries(
        self, url: str, current: str, headers: Mapping[str, str] | None
    ) -> tuple[dict[str, str], int, bytes]:
        attempts = self.policy.retries + 1
        for attempt in range(attempts):
            last = attempt == attempts - 1
            try:
                with self.client.stream("GET", current, headers=dict(headers or {})) as response:
                    status = response.status_code
                    response_headers = {k.lower(): v for k, v in response.headers.items()}
                    if status in RETRY_STATUSES and not last:
                        self.sleep(self._wait(attempt, response_headers.get("retry-after")))
                        continue
                    body = b"" if status >= 300 else self._read_capped(url, response)
                    return response_headers, status, body
            except httpx.TimeoutException as exc:
                if last:
                    raise FetchError(
                        url,
                        "timeout",
                        f"no answer within {self.policy.timeout_s:g} s "
                        f"({attempts} attempt{'s' if attempts > 1 else ''})",
                    ) from exc
            except httpx.TransportError as exc:
                if last:
                    raise FetchError(
                        url, "network", f"connection failed after {attempts} attempt(s): {exc}"
                    ) from exc
            self.sleep(self._wait(attempt, None))
        raise AssertionError("unreachable")  # the last attempt returns or raises

    def _read_capped(self, url: str, response: httpx.Response) -> bytes:
        declared = response.headers.get("content-length", "")
        cap = self.policy.max_bytes
        if declared.isdigit() and int(declared) > cap:
            raise FetchError(url, "too-large", f"{int(declared):,} bytes is over the {cap:,} cap")
        chunks, size = [], 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > cap:
                raise FetchError(url, "too-large", f"over the {cap:,}-byte cap; stopped reading")
            chunks.append(chunk)
        return b"".join(chunks)

    def _wait(self, attempt: int, retry_after: str | None) -> float:
        wait = self.policy.backoff_s * float(2**attempt)
        if retry_after and retry_after.strip().isdigit():
            wait = max(wait, float(int(retry_after.strip())))
        return min(wait, self.policy.max_backoff_s)

    def _robots_allow(self, url: str) -> bool:
        origin = _origin(url)
        if origin not in self._robots:
            self._robots[origin] = self._load_robots(origin)
        rules = self._robots[origin]
        if rules is None:  # unreachable robots.txt: RFC 9309 says assume disallowed
            return False
        return bool(rules.can_fetch(url, ROBOTS_AGENT))

    def _load_robots(self, origin: str) -> Protego | None:
        """The origin's rules; redirects followed by hand (each hop checked like a page)."""
        url = origin + "/robots.txt"
        try:
            for _ in range(self.policy.max_redirects + 1):
                self.check_target(url)
                with self.client.stream("GET", url) as response:
                    status = response.status_code
                    if status in (301, 302, 303, 307, 308) and response.headers.get("location"):
                        url = urljoin(url, response.headers["location"])
                        continue
                    body = b""
                    if status < 300:
                        for chunk in response.iter_bytes():
                            body += chunk
                            if len(body) > ROBOTS_MAX_BYTES:  # Google reads the first 500 KiB
                                body = body[:ROBOTS_MAX_BYTES]
                                break
                    break
            else:
                return None  # a redirect loop: unreachable
        except (httpx.HTTPError, FetchError):
            return None
        if 400 <= status < 500:
            return Protego.parse("")
        if status >= 300:
            return None
        return Protego.parse(body.decode("utf-8", "replace"))


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.split("%")[0])
    except ValueError:
        return False
    return True


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)
