"""HTTP routes served beside the Streamlit app by st.App: sign-in, sign-out and the health check."""
