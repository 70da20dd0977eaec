"""The analyses: pure functions over the catalogue, no screen code (no Textual, no Rich)."""
