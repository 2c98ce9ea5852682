"""Streamlit parts of the check-in pages: the counsellor's forms, the WHO-5 steps."""
