"""Names and attributes of the cookies the monitor sets, and which request came over HTTPS from which address."""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping, MutableMapping

SESSION_COOKIE = "monitor_session"
# With Secure the session cookie carries the __Host- prefix: the browser then refuses it from a sibling subdomain or
# over plain HTTP, and only with Path=/ and no Domain.
SECURE_SESSION_COOKIE = "__Host-monitor_session"
CSRF_COOKIE = "monitor_csrf"
# The OWASP device cookie: a browser that signed in before is not slowed down by failures from elsewhere.
DEVICE_COOKIE = "monitor_device"


def session_cookie_name(secure: bool) -> str:
    return SECURE_SESSION_COOKIE if secure else SESSION_COOKIE


def session_from(cookies: Mapping[str, str]) -> str | None:
    """The session token from whichever session cookie the browser sent."""
    return cookies.get(SECURE_SESSION_COOKIE) or cookies.get(SESSION_COOKIE)


def plain_address(address: str) -> str:
    """address as one writes it: an IPv4-mapped IPv6 address (::ffff:127.0.0.1) as the IPv4 address it carries.

    Streamlit listens on every interface (a dual-stack socket), so a proxy on 127.0.0.1 arrives as ::ffff:127.0.0.1;
    compared as it is, it would never match trusted_proxies = ["127.0.0.1"], and the log would show two spellings of
    one address.
    """
    try:
        parsed = ipaddress.ip_address(address.strip())
    except ValueError:
        return address
    if isinstance(parsed, ipaddress.IPv6Address) and parsed.ipv4_mapped is not None:
        return str(parsed.ipv4_mapped)
    return str(parsed)


def distrust_forwarded_headers_in_uvicorn(environ: MutableMapping[str, str]) -> None:
    """Switch off uvicorn's own X-Forwarded-For / X-Forwarded-Proto trust, in favour of the app's.

    Under st.App, uvicorn believes those headers from 127.0.0.1 and ::1 and rewrites the peer's address before the app
    sees it, so a client on ::1 could choose the address that is logged and throttled. The app judges the headers
    itself, against [auth] trusted_proxies (client_address, came_over_https); with an empty FORWARDED_ALLOW_IPS (a list
    that matches no peer) uvicorn passes on the address that connected. uvicorn reads it when the server starts.
    """
    environ["FORWARDED_ALLOW_IPS"] = ""


def _trusted(peer: str, trusted_proxies: tuple[str, ...]) -> bool:
    try:
        address = ipaddress.ip_address(plain_address(peer))
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(proxy, strict=False) for proxy in trusted_proxies)


def client_address(peer: str | None, forwarded_for: str | None, trusted_proxies: tuple[str, ...]) -> str:
    """The person's address: the peer's, unless the peer is a trusted proxy, then the last untrusted hop it names.

    Only hops added by trusted proxies are believed; anything to the left of the first untrusted one could have been
    written by the client itself.
    """
    address = plain_address(peer) if peer else "unknown"
    if not forwarded_for or not _trusted(address, trusted_proxies):
        return address[:64]
    for hop in reversed([part.strip() for part in forwarded_for.split(",") if part.strip()]):
        address = plain_address(hop)
        if not _trusted(hop, trusted_proxies):
            break
    return address[:64]


def came_over_https(
    scheme: str, peer: str | None, forwarded_proto: str | None, trusted_proxies: tuple[str, ...]
) -> bool:
    """Whether the browser used HTTPS: the request's own scheme, or what a trusted proxy says it received."""
    if scheme == "https":
        return True
    if forwarded_proto and peer and _trusted(peer, trusted_proxies):
        return forwarded_proto.split(",")[0].strip().lower() == "https"
    return False


def secure_cookies(mode: str, https: bool) -> bool:
    """[auth] secure_cookies: "always", "never", or "auto" (Secure exactly when the request came over HTTPS)."""
    return mode == "always" or (mode == "auto" and https)
