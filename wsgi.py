"""Entry point for `flask` inside the venv and for WSGI servers."""

from inspect_app import create_app

app = create_app()
