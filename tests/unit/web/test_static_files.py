"""monitor.web.static_files over HTTP, in front of Streamlit's own static handler and behind the sign-in gate, as
app.py assembles them: scripts compressed and kept a year, every page address's index.html with the loading note."""

from __future__ import annotations

import dataclasses
import gzip
from collections.abc import Iterator
from pathlib import Path

import brotli
import pytest
from sqlalchemy import Engine
from starlette.applications import Starlette
from starlette.datastructures import Headers
from starlette.middleware import Middleware
from starlette.routing import Mount, WebSocketRoute
from starlette.testclient import TestClient
from starlette.websockets import WebSocket
from streamlit import file_util
from streamlit.web.server.starlette.starlette_static_routes import create_streamlit_static_handler

from db.models import Role
from monitor.config import AuthSettings, Settings
from monitor.people import accounts as people
from monitor.people.access import SYSTEM
from monitor.web.headers import content_security_policy
from monitor.web.routes import SignInGate, make_routes
from monitor.web.static_files import (
    IMMUTABLE,
    LOADING,
    SmallStaticFiles,
    chosen_encoding,
    first_page_parts,
    with_loading_note,
)
from tests.unit.web.route_helpers import PASSWORD, sign_in

pytestmark = pytest.mark.usefixtures("fast_passwords")

STREAMLIT = Path(file_util.get_static_dir())
SCRIPT = "/static/js/" + next(p.name for p in (STREAMLIT / "static" / "js").glob("index.*.js"))
NOTE = "De monitor wordt geladen"


def build_app(settings: Settings, engine: Engine, directory: Path = STREAMLIT) -> Starlette:
    """Our routes, a websocket standing in for Streamlit's, and Streamlit's static handler for everything else."""

    async def echo(websocket: WebSocket) -> None:
        await websocket.accept()
        await websocket.send_text(await websocket.receive_text())
        await websocket.close()

    return Starlette(
        routes=[
            *make_routes(lambda: settings, lambda: engine),
            WebSocketRoute("/_stcore/stream", echo),
            Mount("/", app=create_streamlit_static_handler(str(directory), None)),
        ],
        middleware=[
            Middleware(SignInGate, settings_of=lambda: settings, engine_of=lambda: engine),
            Middleware(SmallStaticFiles, directory=directory),
        ],
    )


@pytest.fixture
def client(settings: Settings, auth_settings: AuthSettings, sqlite_engine: Engine) -> Iterator[TestClient]:
    engine = sqlite_engine  # the database only holds the session here
    team_id = people.create_team(engine, SYSTEM, "Moerwijk")
    person_id = people.create_person(engine, SYSTEM, "fatima", "Fatima", PASSWORD, "en")
    people.grant_role(engine, SYSTEM, person_id, team_id, Role.COPRODUCER)
    app = build_app(dataclasses.replace(settings, auth=auth_settings), engine)
    with TestClient(app, follow_redirects=False) as test_client:
        yield test_client


def original(path: str) -> bytes:
    return (STREAMLIT / path.lstrip("/")).read_bytes()


# --- Streamlit's files ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["br", "gzip"])
def test_a_script_is_sent_compressed_with_a_long_cache_lifetime(client: TestClient, encoding: str) -> None:
    accepted = "gzip, deflate, br, zstd" if encoding == "br" else "gzip, deflate"
    with client.stream("GET", SCRIPT, headers={"Accept-Encoding": accepted}) as response:
        wire = b"".join(response.iter_raw())

    assert response.status_code == 200
    assert response.headers["content-encoding"] == encoding
    assert response.headers["cache-control"] == IMMUTABLE == "public, max-age=31536000, immutable"
    assert response.headers["vary"] == "Accept-Encoding"
    assert response.headers["content-type"] == "text/javascript"
    assert len(wire) == int(response.headers["content-length"]) < len(original(SCRIPT)) / 3
    assert (brotli.decompress(wire) if encoding == "br" else gzip.decompress(wire)) == original(SCRIPT)


def test_a_repeat_with_its_etag_is_answered_not_modified(client: TestClient) -> None:
    first = client.get(SCRIPT, headers={"Accept-Encoding": "br"})
    again = client.get(SCRIPT, headers={"Accept-Encoding": "br", "If-None-Match": first.headers["etag"]})

    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["cache-control"] == IMMUTABLE


def test_a_browser_that_takes_no_compression_gets_streamlit_s_own_answer(client: TestClient) -> None:
    response = client.get(SCRIPT, headers={"Accept-Encoding": "identity"})

    assert response.status_code == 200
    assert "content-encoding" not in response.headers
    assert response.content == original(SCRIPT)
    assert "immutable" in response.headers["cache-control"]  # Streamlit's own, for its hashed names


def test_fonts_and_addresses_outside_streamlit_s_files_pass_through(client: TestClient) -> None:
    font = next((STREAMLIT / "static" / "media").glob("*.woff2"))
    woff2 = client.get(f"/static/media/{font.name}", headers={"Accept-Encoding": "br, gzip"})
    sneaky = client.get("/static/js/..%2F..%2Findex.html", headers={"Accept-Encoding": "gzip"})

    assert woff2.status_code == 200
    assert "content-encoding" not in woff2.headers  # woff2 is compressed already
    assert woff2.content == font.read_bytes()
    assert sneaky.headers.get("content-encoding") != "br"
    assert NOTE not in sneaky.text


def test_static_files_keep_the_security_headers(client: TestClient) -> None:
    response = client.get(SCRIPT, headers={"Accept-Encoding": "gzip"})

    assert response.headers["content-security-policy"] == content_security_policy()
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"


# --- the page -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("address", ["/", "/log-request", "/my-week"])
def test_every_page_address_carries_the_loading_note_compressed(client: TestClient, address: str) -> None:
    sign_in(client)

    response = client.get(address, headers={"Accept-Encoding": "gzip, deflate, br"})

    assert response.status_code == 200
    assert response.headers["content-encoding"] == "br"
    assert response.headers["cache-control"] == "no-cache"
    assert "etag" not in response.headers
    assert response.headers["x-frame-options"] == "DENY"
    assert NOTE in response.text and "The monitor is loading. Please wait." in response.text
    note, root = response.text.index('<div class="monitor-loading"'), response.text.index('<div id="root">')
    assert response.text.index("</head>") < note < response.text.index('<link rel="stylesheet"') < root
    assert 'html:not(.monitor-icons) :is([data-testid="stIconMaterial"]' in response.text
    assert '<script type="module" crossorigin src="./static/js/index.' in response.text  # Streamlit's own, still


def test_the_page_without_compression_is_the_same_page(client: TestClient) -> None:
    sign_in(client)

    plain = client.get("/log-request", headers={"Accept-Encoding": "identity"})
    packed = client.get("/log-request", headers={"Accept-Encoding": "gzip"})

    assert "content-encoding" not in plain.headers
    assert plain.content == packed.content == with_loading_note(original("index.html"), parts(STREAMLIT))


def test_a_page_without_a_session_still_goes_to_the_sign_in_form(client: TestClient) -> None:
    response = client.get("/log-request", headers={"Accept-Encoding": "gzip"})

    assert response.status_code == 303
    assert response.headers["location"] == "/auth/login"


def test_our_own_html_is_left_as_it_is(client: TestClient) -> None:
    response = client.get("/auth/login?lang=en", headers={"Accept-Encoding": "gzip"})

    assert NOTE not in response.text
    assert '<form method="post" action="/auth/login">' in response.text


def test_streamlit_s_in_memory_files_still_need_a_session(client: TestClient) -> None:
    response = client.get("/media/0123456789abcdef.xlsx", headers={"Accept-Encoding": "br, gzip"})

    assert response.status_code == 404
    assert "content-encoding" not in response.headers


def test_the_websocket_passes_untouched(client: TestClient) -> None:
    with client.websocket_connect("/_stcore/stream", headers={"Accept-Encoding": "gzip"}) as websocket:
        websocket.send_text("ping")
        assert websocket.receive_text() == "ping"


# --- the parts ------------------------------------------------------------------------------------------------


def parts(directory: Path) -> list[str]:
    return first_page_parts(directory, (directory / "index.html").read_text())


def test_the_first_page_s_parts_are_named_with_what_they_import(tmp_path: Path) -> None:
    js = tmp_path / "static" / "js"
    js.mkdir(parents=True)
    (tmp_path / "index.html").write_text('<script src="./static/js/index.abc.js"></script>')
    (js / "index.abc.js").write_text("")
    (js / "ButtonGroup.A1b2.js").write_text('import{t as m}from"./WidgetLabel.x9.js";import"./index.abc.js";')
    (js / "WidgetLabel.x9.js").write_text('import"./useSlot.q.js";const p=import("./Lazy.z.js");')
    (js / "useSlot.q.js").write_text("")
    (js / "Lazy.z.js").write_text("")
    (js / "Unrelated.k.js").write_text("")

    assert parts(tmp_path) == [
        "./static/js/ButtonGroup.A1b2.js",
        "./static/js/WidgetLabel.x9.js",
        "./static/js/useSlot.q.js",
    ]


def test_streamlit_still_has_the_first_page_s_parts() -> None:
    names = {part.rsplit("/", 1)[-1].split(".")[0] for part in parts(STREAMLIT)}

    assert {"ButtonGroup", "Button", "Checkbox", "TextArea", "Html"} <= names, "a Streamlit upgrade renamed them"


def test_the_note_goes_before_streamlit_s_root() -> None:
    page = with_loading_note(
        b'<html><head><title>x</title></head><body><div id="root"></div></body></html>', ["./a.js"]
    )

    text = page.decode()
    assert text.index('<link rel="modulepreload" crossorigin href="./a.js">') < text.index("</head>")
    assert LOADING + '<div id="root">' in text


def test_a_page_streamlit_changed_beyond_recognition_is_sent_as_it_is(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_bytes(b"<html><body><main></main></body></html>")

    with pytest.raises(ValueError, match="index.html"):
        with_loading_note(b"<html><body><main></main></body></html>")
    assert SmallStaticFiles(None, tmp_path).our_index() == b"<html><body><main></main></body></html>"  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("accept_encoding", "chosen"),
    [
        ("gzip, deflate, br, zstd", "br"),
        ("gzip", "gzip"),
        ("br;q=0, gzip", "gzip"),
        ("gzip;q=0", None),
        ("*", "br"),
        ("identity", None),
        ("", None),
        ("br;q=nonsense, gzip;q=0.5", "gzip"),
    ],
)
def test_the_encoding_is_the_first_the_browser_takes(accept_encoding: str, chosen: str | None) -> None:
    assert chosen_encoding(Headers({"accept-encoding": accept_encoding})) == chosen
