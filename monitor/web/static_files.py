"""Streamlit's own files, made small for a slow line: its JavaScript and CSS compressed once (brotli, or gzip for a
browser without it) and kept for a year in the browser, and its page (index.html) with a loading note, the icons
hidden until their font is there, and that font fetched after the page.

Streamlit serves /static/ uncompressed on purpose (it expects a proxy in front to compress), so on a phone the first
visit took 53 s at 400 kbit/s. This middleware answers /static/ files itself from a cache of their compressed bytes,
filled once per file and encoding (compressing in a thread, off the event loop) and only for files Streamlit ships
(a list read from its directory, so no path from the request reaches the file system). Everything else, the
websocket included, passes through untouched. scripts/slow_line.py measures what it buys (README, "On a slow line").
"""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import logging
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import brotli
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from monitor.web.routes import is_page_path

log = logging.getLogger(__name__)

# Text compresses to a quarter or less; fonts (woff2) and pictures are compressed already.
COMPRESSIBLE = {".js": "text/javascript", ".css": "text/css", ".json": "application/json", ".svg": "image/svg+xml"}
IMMUTABLE = "public, max-age=31536000, immutable"  # the names carry a hash of the content
SMALLEST = 1024  # below this the compression's header and the work cost more than they save
# Brotli's quality 9 makes Streamlit's JavaScript 10 % smaller than gzip's best in 2 s for all of it; quality 11 would
# take another 7 % off but 13 s of CPU per app process.
BROTLI_QUALITY = 9
ENCODINGS = ("br", "gzip")  # the first the browser accepts

# In index.html's <head>, so that it works from the first byte, before Streamlit's own files arrive:
# - the loading note covers the page (below Streamlit's header and dialogs, letting taps through) until the page's
#   first element is drawn;
# - Streamlit's icons are ligatures of the Material Symbols font (375 KB): words such as "save" that the font draws as
#   a picture, printed as words over the labels until it is there. Until the class is set they are drawn in the
#   phone's own font, transparent and clipped to their box (Streamlit fixes its size, so nothing moves). Streamlit
#   marks them translate="no" (a translator must leave the words alone), with one test id per place it uses them;
# - Streamlit asks for that font as it starts (document.fonts.load), where on a slow line it takes the bandwidth the
#   page itself needs: the script holds that request back until the page is drawn, then shows the icons once the font
#   is there. If the page is never recognised as drawn (a Streamlit upgrade renamed its test ids), all this ends
#   after 60 s; tests/e2e/test_slow_line.py notices it first.
HEAD = """<style>
html:not(.monitor-icons) :is([data-testid="stIconMaterial"], span[translate="no"][aria-hidden="true"]),
html:not(.monitor-icons) :is([data-testid="stIconMaterial"], span[translate="no"][aria-hidden="true"])::before {
  font-family: system-ui, sans-serif !important; color: transparent !important; overflow: hidden !important;
}
.monitor-loading {
  position: fixed; inset: 0; z-index: 1; padding: 96px 24px; background: #ffffff; text-align: center;
  pointer-events: none;
  color: #1f5c41; font: 1.125rem/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
}
.monitor-loading p { margin: 0 0 8px; }
.monitor-loading p + p { font-size: 1rem; color: #3d4a44; }
html.monitor-drawn .monitor-loading { display: none; }
</style>
<script>
(function () {
  var root = document.documentElement, fonts = document.fonts, release, poll;
  var main = '[data-testid="stMain"] [data-testid="stElementContainer"]';
  var content = main + ' > :not([data-testid="stAppSkeleton"]):not([data-testid="stSkeleton"])';
  var busy = '[data-testid="stApp"]:not([data-test-script-state="notRunning"])';
  var loading = main + ' > [data-testid="stSkeleton"], ' + busy;
  var drawn = new Promise(function (resolve) { release = resolve; });
  function has(selector) { return document.querySelector(selector) !== null; }
  function show() { root.classList.add("monitor-icons"); }
  drawn.then(function () { clearInterval(poll); root.classList.add("monitor-drawn"); });
  poll = setInterval(function () {
    if (has(content)) root.classList.add("monitor-drawn");
    if (has(content) && !has(loading)) release();
  }, 250);
  setTimeout(release, 60000);
  if (!fonts || !fonts.load) { show(); return; }
  var load = fonts.load.bind(fonts);
  fonts.load = function (font, text) {
    if (!/Material Symbols/.test(font)) return load(font, text);
    return drawn.then(function () { return load(font, text); });
  };
  drawn.then(function () { return load('24px "Material Symbols Rounded"'); }).then(show);
})();
</script>
"""
LOADING = """<div class="monitor-loading" role="status">
<p lang="nl">De monitor wordt geladen. Even geduld.</p>
<p lang="en">The monitor is loading. Please wait.</p>
</div>
"""


# The parts of Streamlit that the coproducer's first page (Log a request) loads only as it draws them: the pills,
# the buttons, the checkbox and note under "More details", st.html. Named in index.html (with what they import), they
# arrive with the rest of Streamlit instead of in two more round trips after the page's first message.
FIRST_PAGE_PARTS = ("ButtonGroup", "Button", "Checkbox", "TextArea", "Html")
_STYLESHEET = re.compile(r'<link rel="stylesheet"[^>]*>\s*')
_IMPORT = re.compile(r'(?:\bfrom|\bimport)\s*"\./([\w.-]+\.js)"')


@dataclass(frozen=True)
class Packed:
    """One file as sent: its bytes (compressed, unless encoding is None) and the headers that go with them."""

    body: bytes
    content_type: str
    etag: str
    encoding: str | None


def pack(data: bytes, content_type: str, encoding: str | None) -> Packed:
    """The file compressed; the same bytes and ETag in every app process (gzip without a time stamp)."""
    if encoding == "br":
        body = brotli.compress(data, quality=BROTLI_QUALITY)
    elif encoding == "gzip":
        body = gzip.compress(data, compresslevel=9, mtime=0)
    else:
        body = data
    tag = hashlib.sha256(data).hexdigest()[:20]
    return Packed(body, content_type, f'"{tag}-{encoding}"' if encoding else f'"{tag}"', encoding)


def first_page_parts(directory: Path, index_html: str) -> list[str]:
    """The addresses of FIRST_PAGE_PARTS' files in Streamlit's static/js and of the files they import, less those
    index.html names already; none if a Streamlit upgrade renamed them."""
    js = directory / "static" / "js"
    files = {path.name: path for path in js.glob("*.js")}
    todo = [name for name in files if re.fullmatch(rf"(?:{'|'.join(FIRST_PAGE_PARTS)})\.[\w-]+\.js", name)]
    found: set[str] = set()
    while todo:
        name = todo.pop()
        if name in found or name not in files or f"./static/js/{name}" in index_html:
            continue
        found.add(name)
        todo += _IMPORT.findall(files[name].read_text(errors="replace"))
    return sorted(f"./static/js/{name}" for name in found)


def page_bytes(directory: Path, original: bytes) -> bytes:
    """The page every address of the app is answered with: Streamlit's index.html with the loading note."""
    try:
        return with_loading_note(original, first_page_parts(directory, original.decode()))
    except ValueError as error:  # a Streamlit upgrade: its page as it is beats no page
        log.warning("%s; sending Streamlit's page without the loading note", error)
        return original


def page_html(directory: Path) -> str:
    """page_bytes for Streamlit's index.html in directory, as text (its inline scripts get CSP hashes)."""
    return page_bytes(directory, (directory / "index.html").read_bytes()).decode()


def with_loading_note(index_html: bytes, parts: Sequence[str] = ()) -> bytes:
    """Streamlit's index.html with the icon rule and script in its head, the first page's parts named for preloading
    and the loading note before its root.

    Streamlit's stylesheet moves from the head to just after the note: a stylesheet in the head holds back every
    paint until it has arrived, which over HTTP/2 (all files at once, sharing the line) took 8 s; in the body it
    holds back only what follows it, and it still arrives long before Streamlit's scripts draw anything.
    """
    text = index_html.decode()
    if "</head>" not in text or '<div id="root">' not in text:
        raise ValueError("Streamlit's index.html has no </head> or root element: see monitor/web/static_files.py")
    styles = "".join(re.findall(_STYLESHEET, text))
    text = re.sub(_STYLESHEET, "", text)
    links = "".join(f'<link rel="modulepreload" crossorigin href="{part}">\n' for part in parts)
    text = text.replace("</head>", links + HEAD + "</head>", 1)
    return text.replace('<div id="root">', LOADING + styles + '<div id="root">', 1).encode()


def chosen_encoding(headers: Headers) -> str | None:
    """br or gzip, whichever the request's Accept-Encoding allows first; None for neither."""
    allowed: dict[str, bool] = {}
    for part in headers.get("accept-encoding", "").split(","):
        coding, _, params = part.strip().partition(";")
        quality = params.strip().removeprefix("q=")
        try:
            allowed[coding.strip().lower()] = not params or float(quality) > 0
        except ValueError:
            allowed[coding.strip().lower()] = False
    for encoding in ENCODINGS:
        if allowed.get(encoding, allowed.get("*", False)):
            return encoding
    return None


def _header_list(packed: Packed, cache_control: str | None) -> list[tuple[bytes, bytes]]:
    headers = [
        (b"content-type", packed.content_type.encode()),
        (b"content-length", str(len(packed.body)).encode()),
        (b"etag", packed.etag.encode()),
        (b"vary", b"Accept-Encoding"),
    ]
    if cache_control:
        headers.append((b"cache-control", cache_control.encode()))
    if packed.encoding:
        headers.append((b"content-encoding", packed.encoding.encode()))
    return headers


class SmallStaticFiles:
    """ASGI middleware in front of Streamlit: /static/ text files from a cache of compressed bytes; every page
    address's index.html with the loading note."""

    def __init__(self, app: ASGIApp, directory: Path | str) -> None:
        self.app = app
        self.directory = Path(directory)
        self._files: dict[str, str] | None = None  # "/static/js/x.js" -> content type, for files worth compressing
        self._packed: dict[tuple[str, str | None], asyncio.Future[Packed]] = {}
        self._index: bytes | None = None  # Streamlit's index.html as it ships

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        headers = Headers(scope=scope)
        encoding = chosen_encoding(headers)
        if path.startswith("/static/") and encoding and path in self.files():
            packed = await self._packed_file(path, encoding)
            await self._send(send, packed, headers, head=scope["method"] == "HEAD")
            return
        if scope["method"] == "GET" and is_page_path(path):
            # Streamlit would gzip the index for some addresses and not others: it comes here plain, to be recognised.
            plain = [(name, value) for name, value in scope["headers"] if name.lower() != b"accept-encoding"]
            await self.app(dict(scope, headers=plain), receive, self._index_rewriter(send, encoding))
            return
        await self.app(scope, receive, send)

    def files(self) -> dict[str, str]:
        """The files served compressed, by address, with their content type."""
        if self._files is None:
            found = {}
            for folder, _dirs, names in os.walk(self.directory / "static"):
                for name in names:
                    full = Path(folder, name)
                    kind = COMPRESSIBLE.get(full.suffix)
                    if kind and full.stat().st_size >= SMALLEST:
                        found["/" + full.relative_to(self.directory).as_posix()] = kind
            self._files = found
        return self._files

    async def _packed_file(self, path: str, encoding: str) -> Packed:
        return await self._once((path, encoding), lambda: pack(self._read(path), self.files()[path], encoding))

    def _read(self, path: str) -> bytes:
        return (self.directory / path.lstrip("/")).read_bytes()

    async def _once(self, key: tuple[str, str | None], make: Callable[[], Packed]) -> Packed:
        """make() in a thread the first time, then kept; requests meanwhile wait for the same result."""
        future = self._packed.get(key)
        if future is None:
            future = asyncio.get_running_loop().create_future()
            self._packed[key] = future
            try:
                future.set_result(await asyncio.to_thread(make))
            except BaseException as error:
                del self._packed[key]
                future.set_exception(error)
                future.exception()  # retrieved here, so that a failure nobody else awaits is not reported twice
                raise
        return await asyncio.shield(future)

    async def _send(self, send: Send, packed: Packed, request: Headers, head: bool) -> None:
        if request.get("if-none-match") == packed.etag:
            headers = [(k, v) for k, v in _header_list(packed, IMMUTABLE) if k != b"content-length"]
            await send({"type": "http.response.start", "status": 304, "headers": headers})
            await send({"type": "http.response.body", "body": b""})
            return
        await send({"type": "http.response.start", "status": 200, "headers": _header_list(packed, IMMUTABLE)})
        await send({"type": "http.response.body", "body": b"" if head else packed.body})

    def original_index(self) -> bytes:
        if self._index is None:
            self._index = (self.directory / "index.html").read_bytes()
        return self._index

    def our_index(self) -> bytes:
        return page_bytes(self.directory, self.original_index())

    def _index_rewriter(self, send: Send, encoding: str | None) -> Send:
        """A send that replaces Streamlit's index.html with ours, and passes everything else as it came.

        The index is recognised by its content: an HTML answer of exactly its length is held back, and replaced when
        its bytes are Streamlit's; any other answer (a page of ours, an error) goes out unchanged.
        """
        original = self.original_index()
        held: list[Message] = []

        async def rewriting_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                response = Headers(raw=message["headers"])
                if (
                    message["status"] == 200
                    and response.get("content-type", "").startswith("text/html")
                    and response.get("content-length") == str(len(original))
                    and "content-encoding" not in response
                ):
                    held.append(message)
                    return
            elif held and message["type"] == "http.response.body":
                held.append(message)
                if message.get("more_body", False):
                    return
                start, *bodies = held
                held.clear()
                body = b"".join(part.get("body", b"") for part in bodies)
                if body == original:
                    await self._send_index(send, start, encoding)
                    return
                await send(start)
                await send({"type": "http.response.body", "body": body})
                return
            await send(message)

        return rewriting_send

    async def _send_index(self, send: Send, start: Message, encoding: str | None) -> None:
        """Ours instead of Streamlit's index, with its other headers (Cache-Control: no-cache, the security headers);
        no ETag or Last-Modified, so that a browser always fetches the page (3 KB) and never keeps an old one."""
        packed = await self._once(("index.html", encoding), lambda: pack(self.our_index(), "text/html", encoding))
        replaced = {b"content-type", b"content-length", b"etag", b"last-modified", b"vary", b"content-encoding"}
        headers = [(k, v) for k, v in start["headers"] if k.lower() not in replaced]
        headers += [(k, v) for k, v in _header_list(packed, None) if k != b"etag"]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": packed.body})
