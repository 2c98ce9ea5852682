"""Streamlit helpers for the pages, the only Streamlit in monitor/: the shared ones here (who is signed in, page
guards, errors, text, style, labels, navigation, charts, cards); each capability's page parts in its own folder.
"""
