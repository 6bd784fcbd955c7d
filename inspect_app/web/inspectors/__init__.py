"""Inspector pages: list, profile, create, edit, archive."""
