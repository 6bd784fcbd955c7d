"""Response headers every page gets: the Content-Security-Policy, framing, sniffing, referrer, HSTS, caching.

The policy allows scripts only from this origin: templates carry no inline code or `on*=` attributes (JS is in
`static/*.js`, data in `data-*` attributes or `<script type="application/json">`). A page that still needs one
inline block asks for `csp_nonce()` in its template; only then does its policy name that request's nonce.
Map tiles are images from the server of MAP_TILE_URL (`tile_source`); styles may be inline because Leaflet,
Chart.js and Swagger UI set them.
"""

import secrets
from urllib.parse import urlsplit

from flask import Flask, Response, g, request

STATIC_ENDPOINTS = {"static", "vendor"}


def csp_nonce() -> str:
    """A random nonce for this response's one allowed inline script (and a mark that the page uses it)."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def tile_source(url_template: str) -> str | None:
    """The CSP source of a Leaflet tile URL template: its scheme and host (a `{s}` subdomain as `*.`), or None
    when the tiles come from this origin (a relative URL), which `'self'` already allows."""
    parts = urlsplit(url_template)
    if not parts.scheme or not parts.netloc:
        return None
    label, dot, rest = parts.netloc.partition(".")
    if "{" in label:
        label = "*"
    return f"{parts.scheme}://{label}{dot}{rest}"


def image_sources(config) -> list[str]:
    """Where pages may load images from: this origin, inline data and blobs, the map tiles, CSP_IMG_HOSTS."""
    tiles = tile_source(config["MAP_TILE_URL"])
    return ["'self'", "data:", "blob:", *([tiles] if tiles else []), *config["CSP_IMG_HOSTS"]]


def content_security_policy(app: Flask, nonce: str | None) -> str:
    """The policy for one response: own-origin scripts (plus the nonce when the page asked for one)."""
    script = "'self'" + (f" 'nonce-{nonce}'" if nonce else "")
    directives = {
        "default-src": "'self'",
        "script-src": script,
        "style-src": "'self' 'unsafe-inline'",
        "img-src": " ".join(image_sources(app.config)),
        "connect-src": "'self'",
        "font-src": "'self'",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def init_security_headers(app: Flask) -> None:
    """Add the headers to every response; private data is never stored by a browser or a proxy."""
    app.add_template_global(csp_nonce)

    @app.after_request
    def security_headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("Content-Security-Policy", content_security_policy(app, g.get("csp_nonce")))
        headers.setdefault("X-Content-Type-Options", "nosniff")
        # Other sites (map tiles too) learn the origin, never a path such as /verify/<id>/<hash>.
        headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        headers.setdefault("X-Frame-Options", "DENY")
        if app.config["HSTS_SECONDS"]:
            headers.setdefault("Strict-Transport-Security", f"max-age={app.config['HSTS_SECONDS']}; includeSubDomains")
        if request.endpoint not in STATIC_ENDPOINTS:
            # Pages, API answers, photos, reports and exports carry someone's data (or a CSRF token):
            # a shared computer's back button or a proxy must not keep them.
            headers["Cache-Control"] = "private, no-store"
            headers.pop("Expires", None)
        return response
