"""The Streamlit pages, one file each: thin, they read widgets, call monitor services and draw the result."""
