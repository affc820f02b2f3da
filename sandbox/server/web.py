"""Request and response helpers shared by the Server emulator's route modules."""
from __future__ import annotations

from typing import Any, Iterator

from flask import Response, request

from sandbox.server.errors import BadRequest


def params() -> dict[str, list[str]]:
    """The query string as {name: [values]}."""
    return {key: request.args.getlist(key) for key in request.args.keys()}


def body() -> dict[str, Any]:
    """The JSON object sent (an empty body counts as {}); anything else is a 400."""
    if not request.get_data(cache=True).strip():
        return {}
    found = request.get_json(silent=True, force=True)
    if not isinstance(found, dict):
        raise BadRequest("The request body must be a JSON object.")
    return found


def file_response(download: tuple[Iterator[bytes], str, str]) -> Response:
    """Stream an output file chunk by chunk, as an attachment."""
    chunks, content_type, file_name = download
    safe = file_name.replace('"', "")
    return Response(chunks, content_type=content_type, direct_passthrough=True,
                    headers={"Content-Disposition": f'attachment; filename="{safe}"'})
