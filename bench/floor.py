__import__("streamlit").markdown("Empty page: the floor of bench/browser.py")
