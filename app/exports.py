"""Tables as downloads: CSV streamed row by row (formula-safe) and JSON, the one way every export is written."""
from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import Any, Iterable, Sequence

from flask import Response, jsonify, stream_with_context


def csv_cell(value: object) -> str:
    """A CSV cell; a leading = + - @ is quoted so spreadsheets do not run it as a formula."""
    text = value.isoformat() if isinstance(value, datetime) else ("" if value is None else str(value))
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Response:
    """Stream `rows` as a CSV attachment, one row at a time."""
    def generate():
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(header)
        for row in rows:
            writer.writerow([csv_cell(value) for value in row])
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
        yield buffer.getvalue()
    return Response(stream_with_context(generate()), mimetype="text/csv",
                    headers={"Content-Disposition": f"attachment; filename={filename}.csv"})


def json_response(filename: str, body: Any) -> Response:
    response = jsonify(body)
    response.headers["Content-Disposition"] = f"attachment; filename={filename}.json"
    return response
