"""HTTP routes served beside the Streamlit app by st.App: sign-in, sign-out, the health check, and the quick-log."""
