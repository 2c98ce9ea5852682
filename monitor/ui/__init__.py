"""Streamlit helpers shared by the pages: who is signed in, page guards, translation. The only Streamlit in monitor/."""
