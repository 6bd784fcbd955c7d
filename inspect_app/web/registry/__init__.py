"""Registry-wide pages: import, export, duplicates."""
