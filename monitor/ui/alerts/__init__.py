"""Streamlit parts of the alert pages: an alert in words, the team's load charts."""
