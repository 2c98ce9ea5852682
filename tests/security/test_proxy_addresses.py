"""Issue 27: behind nginx the app trusts the right address. Streamlit listens on a dual-stack socket, so nginx on
127.0.0.1 arrives as ::ffff:127.0.0.1; and uvicorn's own forwarded-header trust is off, so that only the app's
(against [auth] trusted_proxies) decides which address is the person's."""

from __future__ import annotations

import asyncio
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import uvicorn
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from monitor.web.cookies import (
    came_over_https,
    client_address,
    distrust_forwarded_headers_in_uvicorn,
    plain_address,
)

HER_PHONE = "192.0.2.10"


@pytest.mark.parametrize("peer", ["::ffff:127.0.0.1", "::FFFF:7f00:1", "127.0.0.1"])
def test_nginx_on_this_host_is_trusted_however_the_socket_writes_its_address(peer: str) -> None:
    assert client_address(peer, HER_PHONE, ("127.0.0.1",)) == HER_PHONE
    assert came_over_https("http", peer, "https", ("127.0.0.1",))


def test_mapped_addresses_are_logged_as_the_ipv4_address_they_carry() -> None:
    assert plain_address("::ffff:198.51.100.7") == "198.51.100.7"
    assert client_address("::ffff:198.51.100.7", None, ()) == "198.51.100.7"
    # A hop the proxy names in the mapped form is the same person, not a second address.
    assert client_address("127.0.0.1", "::ffff:192.0.2.10", ("127.0.0.1",)) == HER_PHONE
    assert plain_address("2001:db8::1") == "2001:db8::1" and plain_address("testclient") == "testclient"


def test_a_mapped_address_outside_the_trusted_networks_is_not_believed() -> None:
    assert client_address("::ffff:198.51.100.7", HER_PHONE, ("127.0.0.1",)) == "198.51.100.7"
    assert not came_over_https("http", "::ffff:198.51.100.7", "https", ("127.0.0.1",))


def _client_uvicorn_passes_on(peer: str, forwarded_for: str) -> tuple[str, str]:
    """What the app sees as (peer, scheme) once uvicorn's proxy-header middleware, configured as app.py leaves it,
    has handled a request from peer that claims to be forwarded for forwarded_for over HTTPS."""
    seen: dict[str, object] = {}

    async def app(scope, _receive, _send):  # type: ignore[no-untyped-def]
        seen.update(scope)

    config = uvicorn.Config(app)
    middleware = ProxyHeadersMiddleware(app, trusted_hosts=config.forwarded_allow_ips)
    scope = {
        "type": "http",
        "scheme": "http",
        "client": (peer, 5000),
        "headers": [(b"x-forwarded-for", forwarded_for.encode()), (b"x-forwarded-proto", b"https")],
    }
    # In a thread of its own: after the browser tests, Playwright's event loop runs in this one (asyncio.run refuses).
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, middleware(scope, None, None)).result()  # type: ignore[arg-type]
    return seen["client"][0], str(seen["scheme"])  # type: ignore[index]


def test_uvicorn_no_longer_lets_a_client_on_this_host_choose_its_address(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FORWARDED_ALLOW_IPS", raising=False)
    assert _client_uvicorn_passes_on("::1", "203.0.113.99") == ("203.0.113.99", "https")  # uvicorn's default

    distrust_forwarded_headers_in_uvicorn(os.environ)  # monkeypatch restores the variable afterwards

    for peer in ("::1", "127.0.0.1", "::ffff:127.0.0.1"):
        assert _client_uvicorn_passes_on(peer, "203.0.113.99") == (peer, "http")


def test_app_py_switches_uvicorn_s_trust_off_before_the_server_starts() -> None:
    source = (Path(__file__).resolve().parents[2] / "app.py").read_text()
    assert source.index("distrust_forwarded_headers_in_uvicorn(os.environ)") < source.index("st.App(")
