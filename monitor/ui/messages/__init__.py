"""Streamlit parts of the message pages: e-mails that were not sent."""
