"""Streamlit parts of the allowance and fund pages: amounts typed in euros, payment words, charts."""
