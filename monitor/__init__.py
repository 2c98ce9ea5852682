"""The coproducer workload and wellbeing monitor: domain and services, free of Streamlit."""
