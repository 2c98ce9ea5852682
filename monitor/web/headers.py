"""The security headers on every answer: a Content-Security-Policy that allows only what Streamlit needs, each
exception named with its reason, and HSTS when the request came over HTTPS."""

from __future__ import annotations

import base64
import hashlib
import re

# What Streamlit's page needs beyond 'self', and why:
# - script-src: Streamlit's own files, plus the two inline scripts of its index.html (Streamlit's prerenderReady flag
#   and our loading note, monitor/web/static_files.py), allowed by their hashes, never 'unsafe-inline'; and
#   'wasm-unsafe-eval', because protobuf.js (Streamlit's messages) compiles a tiny WebAssembly module (long.js) for
#   64-bit numbers. It allows compiling WebAssembly only, never eval() of JavaScript ('unsafe-eval' stays out).
# - style-src 'unsafe-inline': emotion (Streamlit's CSS-in-JS) writes <style> elements at run time, and Streamlit and
#   Plotly set style attributes on elements; without it nothing is laid out. Styles cannot run script.
# - img-src data: blob:: Streamlit draws small icons and chart images as data: addresses, and st.image, Plotly's
#   "download as image" and the file uploader's previews use blob: addresses.
# - font-src data:: Plotly's charts (the leader's, the coproducer's week) embed a small font as a data: address.
# - connect-src 'self': fetch and the websocket (/_stcore/stream); 'self' covers ws: and wss: to the same host in
#   CSP Level 3 (Chrome 74, Firefox 77, Safari 15.4).
# Everything else is 'self' or nothing: no plugins (object-src), no <base> that moves relative addresses (base-uri),
# forms post only here (form-action), and no other site may frame the app (frame-ancestors, and X-Frame-Options for
# old browsers).
_POLICY = (
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'{scripts}",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
)
# A browser that saw the site over HTTPS uses only HTTPS for it for a year (sent only over HTTPS, as RFC 6797 asks).
HSTS = "max-age=31536000"
SECURITY_HEADERS = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)


def content_security_policy(script_hashes: tuple[str, ...] = ()) -> str:
    """The policy, allowing the inline scripts with these hashes ('sha256-...') besides the app's own files."""
    scripts = "".join(f" '{value}'" for value in script_hashes)
    return "; ".join(_POLICY).format(scripts=scripts)


def script_hash(body: str) -> str:
    """The CSP hash of one inline script's text."""
    return "sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()


def inline_script_hashes(html: str) -> tuple[str, ...]:
    """The CSP hashes of the inline <script> elements of a page (without attributes: those with src are files)."""
    return tuple(script_hash(body) for body in _INLINE_SCRIPT.findall(html))
