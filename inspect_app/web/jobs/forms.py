"""The cancel button of a job page."""

from flask_wtf import FlaskForm


class CancelForm(FlaskForm):
    """Only the CSRF token travels."""
