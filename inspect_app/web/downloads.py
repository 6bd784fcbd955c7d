"""What every file download of the pages shares."""

from flask import Response


def exact_type(response: Response, content_type: str) -> Response:
    """The response with exactly this Content-Type: werkzeug's send_file appends "; charset=utf-8" to a text type
    even when the type names its charset already ("text/csv; charset=utf-8; charset=utf-8")."""
    response.headers["Content-Type"] = content_type
    return response
