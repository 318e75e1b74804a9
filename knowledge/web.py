"""Fetching web pages safely: SSRF guard, same-site redirects, robots.txt, a bounded crawl."""

from __future__ import annotations

import ipaddress
import logging
import socket
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urldefrag, urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import requests

from knowledge.errors import FetchError, UnsafeURLError

log = logging.getLogger(__name__)

USER_AGENT = "SwitchboardBot/0.1 (+knowledge ingestion)"
MAX_BYTES = 10 * 1024 * 1024
MAX_REDIRECTS = 5
TIMEOUT = 15.0
_SKIP_EXTENSIONS = (
    ".jpg",
    ".jpeg",
    ".png",
    ".gif",
    ".webp",
    ".svg",
    ".ico",
    ".css",
    ".js",
    ".zip",
    ".gz",
    ".mp3",
    ".mp4",
    ".mov",
    ".avi",
    ".woff",
    ".woff2",
    ".ttf",
    ".xml",
    ".json",
    ".doc",
    ".docx",
)

Resolver = Callable[[str, int], list[str]]


def _system_resolver(host: str, port: int) -> list[str]:
    """Every address the host resolves to."""
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except socket.gaierror as exc:
        raise FetchError(f"cannot resolve {host}: {exc}") from exc
    return [str(info[4][0]) for info in infos]


def is_public_address(address: str) -> bool:
    """True when an IP address is globally routable (not private, loopback, link-local...)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or not ip.is_global
    )


def check_url(url: str, allow_private: bool = False, resolver: Resolver | None = None) -> None:
    """Refuse non-HTTP URLs and hosts that resolve to a non-public address (unless allowed)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UnsafeURLError(f"not an http(s) URL: {url!r}")
    if parts.username or parts.password:
        raise UnsafeURLError("URLs with credentials are refused")
    if allow_private:
        return
    port = parts.port or (443 if parts.scheme == "https" else 80)
    addresses = (resolver or _system_resolver)(parts.hostname, port)
    if not addresses:
        raise UnsafeURLError(f"{parts.hostname} resolves to nothing")
    for address in addresses:
        if not is_public_address(address):
            raise UnsafeURLError(f"{parts.hostname} resolves to non-public address {address}")


def _site_key(url: str) -> tuple[str, int | None]:
    """Host without a leading www., and the port unless it is a default one."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.")
    port = parts.port
    return host, port if port not in (80, 443) else None


def same_site(a: str, b: str) -> bool:
    """True when two URLs share host and port (scheme and a leading www. are ignored)."""
    return _site_key(a) == _site_key(b)


@dataclass(frozen=True)
class FetchedPage:
    """A fetched document: the final URL after redirects, its content type and bytes."""

    url: str
    content_type: str
    body: bytes

    @property
    def text(self) -> str:
        """The body decoded as text (UTF-8 unless it says otherwise, errors replaced)."""
        charset = "utf-8"
        for part in self.content_type.split(";")[1:]:
            key, _, value = part.strip().partition("=")
            if key.lower() == "charset" and value:
                charset = value.strip('"')
        try:
            return self.body.decode(charset, errors="replace")
        except LookupError:
            return self.body.decode("utf-8", errors="replace")


class Fetcher:
    """HTTP GET with the SSRF guard on every hop, same-site redirects only, a size cap."""

    def __init__(
        self,
        allow_private: bool = False,
        session: requests.Session | None = None,
        resolver: Resolver | None = None,
        timeout: float = TIMEOUT,
    ) -> None:
        """Configure the guard; ``allow_private`` is for tests against 127.0.0.1 only."""
        self.allow_private = allow_private
        self.session = session or requests.Session()
        self.session.headers.setdefault("User-Agent", USER_AGENT)
        self.resolver = resolver
        self.timeout = timeout

    def get(self, url: str) -> FetchedPage:
        """Fetch a URL, following redirects only within the starting site."""
        start = url
        for _ in range(MAX_REDIRECTS + 1):
            check_url(url, self.allow_private, self.resolver)
            try:
                resp = self.session.get(
                    url,
                    allow_redirects=False,
                    timeout=self.timeout,
                    stream=True,
                    headers={"User-Agent": USER_AGENT},
                )
            except requests.RequestException as exc:
                raise FetchError(f"{url}: {exc}") from exc
            with resp:
                if resp.is_redirect or resp.status_code in (301, 302, 303, 307, 308):
                    target = urljoin(url, resp.headers.get("Location", ""))
                    if not same_site(start, target):
                        raise FetchError(f"redirect off-site refused: {url} -> {target}")
                    url = target
                    continue
                if resp.status_code != 200:
                    raise FetchError(f"{url}: HTTP {resp.status_code}")
                body = bytearray()
                for block in resp.iter_content(64 * 1024):
                    body.extend(block)
                    if len(body) > MAX_BYTES:
                        raise FetchError(f"{url}: larger than {MAX_BYTES} bytes")
                return FetchedPage(url, resp.headers.get("Content-Type", ""), bytes(body))
        raise FetchError(f"{start}: too many redirects")


class Robots:
    """robots.txt rules per site, fetched once through the guarded fetcher."""

    def __init__(self, fetcher: Fetcher) -> None:
        """Cache parsers per scheme://host."""
        self.fetcher = fetcher
        self._cache: dict[str, RobotFileParser] = {}

    def allowed(self, url: str) -> bool:
        """True when robots.txt lets our user agent fetch the URL (no robots.txt: allowed)."""
        parts = urlsplit(url)
        root = f"{parts.scheme}://{parts.netloc}"
        parser = self._cache.get(root)
        if parser is None:
            parser = RobotFileParser()
            try:
                page = self.fetcher.get(root + "/robots.txt")
                parser.parse(page.text.splitlines())
            except FetchError as exc:
                log.info("no robots.txt for %s (%s): allowing", root, exc)
                parser.parse([])
            self._cache[root] = parser
        return parser.can_fetch(USER_AGENT, url)


def extract_links(html: str, base_url: str) -> list[str]:
    """Absolute, fragment-free http(s) links of a page, in document order, deduplicated."""
    import lxml.html

    try:
        tree = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):  # type: ignore[attr-defined]
        return []
    seen: dict[str, None] = {}
    for href in tree.xpath("//a/@href"):
        link = urldefrag(urljoin(base_url, str(href).strip()))[0]
        if urlsplit(link).scheme in ("http", "https"):
            seen.setdefault(link, None)
    return list(seen)


def crawl(
    start_url: str,
    fetcher: Fetcher,
    max_depth: int = 2,
    max_pages: int = 30,
    on_page: Callable[[int, int], None] | None = None,
) -> tuple[list[FetchedPage], list[str]]:
    """Breadth-first same-site crawl honouring robots.txt; returns pages and skipped URLs."""
    robots = Robots(fetcher)
    queue: deque[tuple[str, int]] = deque([(start_url, 0)])
    seen = {start_url}
    pages: list[FetchedPage] = []
    skipped: list[str] = []
    while queue and len(pages) < max_pages:
        url, depth = queue.popleft()
        if not robots.allowed(url):
            skipped.append(url)
            continue
        try:
            page = fetcher.get(url)
        except FetchError as exc:
            if url == start_url:
                raise
            log.info("crawl skipped %s: %s", url, exc)
            skipped.append(url)
            continue
        pages.append(page)
        if on_page:
            on_page(len(pages), min(max_pages, len(pages) + len(queue)))
        if depth >= max_depth or "html" not in page.content_type.lower():
            continue
        for link in extract_links(page.text, page.url):
            if link in seen or not same_site(start_url, link):
                continue
            if urlsplit(link).path.lower().endswith(_SKIP_EXTENSIONS):
                continue
            seen.add(link)
            queue.append((link, depth + 1))
    return pages, skipped
