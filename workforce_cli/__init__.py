"""The `workforce` command line. Never imports Textual unless the app is opened."""
