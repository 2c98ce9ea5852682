"""Streamlit parts of the request pages: the request form, the import panel."""
