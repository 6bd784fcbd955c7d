"""Audit pages: the list, one audit, the field checklist form, PDF downloads and the public verify page."""
