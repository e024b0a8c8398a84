"""Defence in depth for the printed report: what WeasyPrint may load, and the HTML's CSP.

User text is escaped before it reaches the HTML; should an escape ever be missed, the PDF
printer still loads nothing but ``data:`` URLs and the package's own template files — no
``file://`` elsewhere, no network, no redirects — and the HTML report carries a
Content-Security-Policy that forbids scripts and every remote load.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

__all__ = ["CONTENT_SECURITY_POLICY", "with_csp", "url_fetcher", "templates_folder"]

#: Inline styles and ``data:`` images/fonts only: no script, no frame, no remote anything.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; img-src data:; font-src data:; style-src 'unsafe-inline'; "
    "script-src 'none'; object-src 'none'; frame-src 'none'; base-uri 'none'; form-action 'none'"
)


def templates_folder() -> Path:
    """The package's template folder: the only files the printer may read."""
    return Path(str(resources.files("impactkit.report") / "templates")).resolve()


def with_csp(html: str) -> str:
    """``html`` with the Content-Security-Policy ``<meta>`` as the first element of its head."""
    meta = f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">'
    lower = html.lower()
    at = lower.find("<head>")
    if at < 0:
        return f"<head>{meta}</head>{html}"
    at += len("<head>")
    return html[:at] + meta + html[at:]


def allowed(url: str) -> bool:
    """Whether the printer may load ``url``: a ``data:`` URL or a package template file."""
    parsed = urlparse(url)
    if parsed.scheme == "data":
        return True
    if parsed.scheme != "file" or parsed.netloc not in ("", "localhost"):
        return False
    try:
        path = Path(unquote(parsed.path)).resolve()
    except (OSError, RuntimeError, ValueError):
        return False
    return path.is_relative_to(templates_folder()) and path.is_file()


def url_fetcher() -> Any:
    """A WeasyPrint URL fetcher that serves only what :func:`allowed` allows."""
    from weasyprint import urls

    base = getattr(urls, "URLFetcher", None)
    if base is None:  # WeasyPrint < 65: a plain function

        def fetch(url: str) -> Any:
            if not allowed(url):
                raise ValueError(f"impactkit does not load {url[:200]!r} into a report")
            return urls.default_url_fetcher(url)

        return fetch

    class _Fetcher(base):  # type: ignore[misc, valid-type]
        def fetch(self, url: str, headers: Any = None) -> Any:
            if not allowed(url):
                raise ValueError(f"impactkit does not load {url[:200]!r} into a report")
            return super().fetch(url, headers)

    return _Fetcher(allowed_protocols=("data", "file"), allow_redirects=False, timeout=1)
