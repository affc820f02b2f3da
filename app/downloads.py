"""Headers for files passed through from a platform: always an attachment, never rendered by the browser."""
from __future__ import annotations

from urllib.parse import quote

# Types a browser may be told as they are; anything else (text/html, image/svg+xml …) goes out as bytes.
SAFE_TYPES = frozenset({"text/csv", "application/json", "application/octet-stream", "application/zip",
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "text/plain"})


def safe_content_type(content_type: str) -> str:
    base = content_type.split(";")[0].strip().lower()
    return content_type if base in SAFE_TYPES else "application/octet-stream"


def attachment_headers(filename: str, length: int | None) -> dict[str, str]:
    """Content-Disposition with an ASCII fallback and the UTF-8 name (RFC 6266), plus the length when known."""
    ascii_name = "".join(c if 32 <= ord(c) < 127 and c not in '"\\;' else "_" for c in filename) or "download"
    headers = {"Content-Disposition": f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}",
               "X-Content-Type-Options": "nosniff", "Cache-Control": "private, no-store"}
    if length is not None:
        headers["Content-Length"] = str(length)
    return headers
