"""monitor.ui.page_language: the script that sets <html lang> carries only a language code."""

from __future__ import annotations

import pytest

from monitor.ui.page_language import script


def test_the_script_sets_the_readers_language() -> None:
    assert 'document.documentElement.lang = "nl";' in script("nl")
    assert 'document.documentElement.lang = "en";' in script("en")


@pytest.mark.parametrize("bad", ['nl"; alert(1); "', "", "<nl>", "nederlands"])
def test_anything_but_a_language_code_is_refused(bad: str) -> None:
    with pytest.raises(ValueError):
        script(bad)
