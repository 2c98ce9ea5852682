"""Streamlit parts of people's rights: my data, removing a person."""
