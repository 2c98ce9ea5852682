"""Streamlit helpers for the pages, the only Streamlit in monitor/: the shared ones here (who is signed in, page guards,
errors, text, style, labels, navigation, charts, cards); the parts of a capability's pages in its folder, as in monitor/.
"""
