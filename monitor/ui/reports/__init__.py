"""Streamlit parts of the contribution report and the check-up: names and bars."""
