"""Importing older requests on My requests (issue 32): the uploaded file is read once, for the check, every rerun and
the import. AppTest has no file uploader, so the uploader hands the page a file as Streamlit's would."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
import streamlit as st
from sqlalchemy import func, select

from db.engine import reading
from db.models import HelpRequest, Role
from monitor.ui.requests import import_panel
from tests.pages.conftest import World, by_label, texts

CSV = (
    "username,received_at,channel,topics,minutes\n"
    "fatima,2026-11-02 21:30,door,money,30\n"
    "fatima,2026-11-03 10:00,phone,housing,15\n"
)


@dataclass
class Upload:
    """What st.file_uploader gives a page: a name, an id per upload, and the bytes."""

    name: str
    file_id: str
    content: bytes

    def getvalue(self) -> bytes:
        return self.content


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []
    real = import_panel.read_table

    def counting(name: str, content: bytes) -> Any:
        seen.append(name)
        return real(name, content)

    monkeypatch.setattr(import_panel, "read_table", counting)
    return seen


@pytest.mark.usefixtures("pinned_now")  # the rows are from three weeks before the pinned moment
def test_the_file_is_read_once_for_the_check_the_reruns_and_the_import(
    world: World, monkeypatch: pytest.MonkeyPatch, reads: list[str]
) -> None:
    world.sign_in(world.person_in(Role.COPRODUCER))
    upload = Upload("old.csv", "upload-1", CSV.encode())
    monkeypatch.setattr(st, "file_uploader", lambda *_args, **_kwargs: upload)

    at = world.app().run()
    at.switch_page("pages/my_requests.py").run()
    assert not at.exception, at.exception
    assert "All 2 rows are good." in texts(at.success)
    at.run()  # any rerun: the rows are not read again

    by_label(at.button, "Import 2 requests").click().run()

    assert not at.exception, at.exception
    assert "Imported: 2." in texts(at.success)
    with reading(world.engine) as session:
        assert session.scalar(select(func.count(HelpRequest.id))) == 2
    assert reads == ["old.csv"]
