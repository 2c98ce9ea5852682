"""Cards for a phone: each row a list item with its fields, text escaped, empty fields left out, "over" marked."""

from __future__ import annotations

from monitor.ui.cards import Card, cards_html


def test_each_card_is_a_list_item_with_its_fields() -> None:
    html = cards_html([Card("Fatima", [("Hours", "⚠ 15,2 / 8"), ("Alerts", "6")], over=True)], "My team")
    assert html.startswith('<ul class="monitor-cards" aria-label="My team">')
    assert '<li class="over"><p class="monitor-card-title">Fatima</p>' in html
    assert "<div><dt>Hours</dt><dd>⚠ 15,2 / 8</dd></div><div><dt>Alerts</dt><dd>6</dd></div>" in html


def test_empty_fields_are_left_out_and_text_is_escaped() -> None:
    html = cards_html([Card("<b>Henk</b>", [("Outside hours", ""), ("About", 'Geld & "schulden"')])], 'a "list"')
    assert "Outside hours" not in html
    assert "&lt;b&gt;Henk&lt;/b&gt;" in html and "<b>" not in html
    assert "Geld &amp; &quot;schulden&quot;" in html
    assert 'aria-label="a &quot;list&quot;"' in html
    assert "<li>" in html  # not marked
