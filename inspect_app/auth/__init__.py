"""Sign-in for the web (Flask-Login sessions) and bearer tokens for the API."""
