"""Streamlit parts of the training pages: qualification words and the heatmap."""
