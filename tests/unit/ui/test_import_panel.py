"""The upload page reads a file once (issue 32): the dry run, every rerun and the import use the rows read then."""

from __future__ import annotations

from typing import Any

from monitor.ui.requests.import_panel import read_once

GOOD = b"username,received_at,channel,topics,minutes\nfatima,2026-11-02 21:30,door,money,30\n"


def test_a_file_is_read_once_per_upload_and_again_for_a_new_one() -> None:
    state: dict[str, Any] = {}
    reads: list[str] = []

    def content(name: str) -> bytes:
        reads.append(name)
        return GOOD

    for _rerun in range(3):  # the dry run, a rerun, the click on Import
        table, error = read_once(state, "rows", "upload-1", "old.csv", lambda: content("upload-1"))
        assert error is None and table is not None and table[0]["username"] == "fatima"
    read_once(state, "rows", "upload-2", "old.csv", lambda: content("upload-2"))

    assert reads == ["upload-1", "upload-2"]


def test_a_refused_file_is_read_once_too() -> None:
    state: dict[str, Any] = {}
    reads: list[int] = []

    def content() -> bytes:
        reads.append(1)
        return b"not,the,columns\n1,2,3\n"

    for _rerun in range(2):
        table, error = read_once(state, "rows", "upload-1", "old.csv", content)
        assert table is None and error is not None
    assert len(reads) == 1
