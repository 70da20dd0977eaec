"""The catalogue: data model, SQLite store, reference data, import and export.

Imports neither Textual nor Rich (a test checks), so the command line and analyses stay light.
"""
