"""Translatable names for the qualification statuses, with an icon and a mark that read without colour."""

from __future__ import annotations

from monitor.i18n import N_

QUALIFICATION_LABELS = {
    "trained": N_("Trained"),
    "expiring": N_("Expires soon"),
    "expired": N_("Expired"),
    "none": N_("Not trained"),
}
# Streamlit markdown: a coloured icon per status, the same colours as the heatmap (emoji are missing on some phones)
QUALIFICATION_ICONS = {
    "trained": ":green[:material/verified:]",
    "expiring": ":orange[:material/hourglass_bottom:]",
    "expired": ":red[:material/block:]",
    "none": ":gray[:material/remove:]",
}
# A mark in each heatmap cell, so that the status reads without colour (plain symbols every phone font has)
QUALIFICATION_MARKS = {"trained": "✓", "expiring": "!", "expired": "✕", "none": "–"}
