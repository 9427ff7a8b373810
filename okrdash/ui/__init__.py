"""The only part of okrdash that imports Streamlit: shared widgets and per-session context."""
