"""Web ingestion: the SSRF guard (on by default), robots.txt, crawl limits, redirects."""

from __future__ import annotations

import pytest

from knowledge import KnowledgeBase, SourceKind, SourceSpec, UnsafeURLError
from knowledge.errors import FetchError
from knowledge.web import Fetcher, check_url, crawl

from .conftest import Site, article


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.0.0.5",
        "192.168.1.20",
        "172.16.3.4",
        "169.254.169.254",
        "::1",
        "::ffff:127.0.0.1",
        "fe80::1",
        "0.0.0.0",
        "100.64.0.1",
    ],
)
def test_guard_refuses_non_public_addresses(address: str) -> None:
    with pytest.raises(UnsafeURLError):
        check_url("http://shop.example/", resolver=lambda host, port: [address])


def test_guard_refuses_if_any_address_is_private() -> None:
    with pytest.raises(UnsafeURLError):
        check_url("https://shop.example/", resolver=lambda h, p: ["93.184.215.14", "10.1.1.1"])
    check_url("https://shop.example/", resolver=lambda h, p: ["93.184.215.14"])


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://x.example/", "http://u:p@x.example/"])
def test_guard_refuses_bad_schemes_and_credentials(url: str) -> None:
    with pytest.raises(UnsafeURLError):
        check_url(url, allow_private=True)


def test_ingest_of_loopback_url_refused_by_default(kb: KnowledgeBase, site: Site) -> None:
    site.page("/", article("Prices", "Cleaning costs 60 euros."))
    with pytest.raises(UnsafeURLError):
        kb.ingest("smile", site.base + "/")
    with pytest.raises(UnsafeURLError):
        kb.ingest("smile", f"http://localhost:{site.port}/")
    assert site.requested == []


def test_ingest_web_page_with_allow_private(kb: KnowledgeBase, site: Site) -> None:
    site.page("/prices", article("Our prices", "A dental cleaning costs 60 euros."))
    report = kb.ingest("smile", SourceSpec(site.base + "/prices", allow_private=True))
    assert report.kind is SourceKind.WEB and report.pages == 1 and report.chunks >= 1
    passages = kb.search("smile", "How much is a cleaning?")
    assert passages[0].reference.url == site.base + "/prices"
    assert passages[0].reference.title == "Our prices"


def test_crawl_respects_robots_depth_and_page_limits(site: Site) -> None:
    site.routes["/robots.txt"] = (
        200,
        {"Content-Type": "text/plain"},
        b"User-agent: *\nDisallow: /private\n",
    )
    site.page(
        "/", article("Home", "Welcome.", ("/a", "/private/secret", "https://elsewhere.example/"))
    )
    site.page("/a", article("A", "Page A.", ("/b",)))
    site.page("/b", article("B", "Page B.", ("/c",)))
    site.page("/c", article("C", "Page C."))
    site.page("/private/secret", article("Secret", "Do not read."))
    fetcher = Fetcher(allow_private=True)
    pages, skipped = crawl(site.base + "/", fetcher, max_depth=2, max_pages=10)
    urls = [p.url for p in pages]
    assert urls == [site.base + "/", site.base + "/a", site.base + "/b"]  # /c is depth 3
    assert site.base + "/private/secret" in skipped
    assert "/private/secret" not in site.requested
    pages, _ = crawl(site.base + "/", fetcher, max_depth=5, max_pages=2)
    assert len(pages) == 2


def test_redirects_followed_within_site_only(site: Site) -> None:
    site.page("/new", article("New", "Moved here."))
    site.redirect("/old", "/new")
    site.redirect("/away", "https://evil.example/")
    fetcher = Fetcher(allow_private=True)
    assert fetcher.get(site.base + "/old").url == site.base + "/new"
    with pytest.raises(FetchError):
        fetcher.get(site.base + "/away")


def test_redirect_to_private_address_refused_by_default() -> None:
    resolved = {"shop.example": ["93.184.215.14"], "internal.shop.example": ["10.0.0.7"]}
    fetcher = Fetcher(resolver=lambda host, port: resolved[host])
    with pytest.raises(UnsafeURLError):
        # the guard runs before any connection, on every hop
        fetcher.get("http://internal.shop.example/admin")
