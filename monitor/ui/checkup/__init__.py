"""Streamlit parts of the collaboration check-up page: the statements to answer, the results, the rounds."""
