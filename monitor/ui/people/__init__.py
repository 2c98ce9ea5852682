"""Streamlit parts of the administrator's page: people and their accounts, roles, teams."""
