"""Facility registry pages: list, facility page, create, edit, archive."""
