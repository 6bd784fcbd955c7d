"""Marshmallow schemas: the one place where the registry's validation rules live.

The API, the web forms and the importer all load input through these schemas.
"""
