"""The Textual terminal app over the catalogue."""
