"""Job output files: deterministic seeded rows, streamed in chunks as Csv, Json or the native Raw/Yxdb bytes."""
from __future__ import annotations

import json
import random
import zlib
from datetime import datetime, timedelta, timezone
from typing import Callable, Iterator

from sandbox.server.errors import BadRequest
from sandbox.server.jobs import Output

CHUNK_BYTES = 64 * 1024
EPOCH = datetime(2025, 1, 1, tzinfo=timezone.utc)
YXDB_MAGIC = b"Alteryx Database File\x00"
WORDS = {
    "Region": ("EMEA", "NA", "LATAM", "APAC"), "Country": ("US", "DE", "GB", "JP", "BR", "FR", "IN"),
    "Currency": ("USD", "EUR", "GBP", "JPY"), "Channel": ("email", "sem", "social", "display", "store"),
    "Segment": ("Consumer", "SMB", "Enterprise"), "Entity": ("FDH", "FDG", "FDI"), "Warehouse": ("RTM", "MEM", "SIN"),
    "Carrier": ("DHL", "UPS", "Maersk", "FedEx"), "Tier": ("A", "B", "C"), "Reason": ("velocity", "duplicate", "amount"),
    "Category": ("Beverages", "Snacks", "Household", "Personal care"), "City": ("Berlin", "Austin", "Osaka", "Leeds"),
    "Product": ("Cold brew 1L", "Oat bar 6pk", "Dish tabs 40", "Shampoo 250ml", "Sparkling water 12pk"),
    "Rep": ("J. Okafor", "L. Moreau", "H. Tanaka", "M. Costa"), "Street": ("1 High St", "22 Elm Ave", "5 Kaiserstr."),
}
DATE_WORDS = ("Date", "At", "AsOf", "Week", "Day", "Period")


def _value(column: str) -> Callable[[random.Random, int], str]:
    """How one column's values are drawn (names decide: ids, words, dates, else amounts)."""
    if column in WORDS:
        choices = WORDS[column]
        return lambda rng, _i: rng.choice(choices)
    if column.endswith("Id") or column in ("Sku", "Account", "CostCentre", "Territory", "PostalCode"):
        prefix = "".join(ch for ch in column if ch.isupper())[:2] or "X"
        return lambda _rng, i: f"{prefix}{100000 + i:07d}"
    if column.endswith(DATE_WORDS):
        return lambda rng, _i: (EPOCH + timedelta(minutes=rng.randrange(0, 600_000))).strftime("%Y-%m-%dT%H:%M:%SZ")
    if column in ("Units", "OnHand", "ReorderPoint", "OrderQty", "Touches", "Footfall", "Sessions", "Carts",
                  "Orders", "Accounts"):
        return lambda rng, _i: str(rng.randint(0, 5000))
    return lambda rng, _i: f"{rng.uniform(-50, 25_000):.2f}"


def rows(seed: int, job_id: str, output: Output) -> Iterator[list[str]]:
    """The output's rows, the same for the same seed, job and output."""
    rng = random.Random(f"{seed}:rows:{job_id}:{output.id}")
    makers = [_value(column) for column in output.columns]
    for index in range(output.rows):
        yield [make(rng, index) for make in makers]


def _csv_cell(text: str) -> str:
    return f'"{text}"' if any(ch in text for ch in ',"\n') else text


def _chunked(pieces: Iterator[str]) -> Iterator[bytes]:
    """Group small strings into ~64 KB byte chunks, so the response streams without holding the file."""
    buffer: list[str] = []
    size = 0
    for piece in pieces:
        buffer.append(piece)
        size += len(piece)
        if size >= CHUNK_BYTES:
            yield "".join(buffer).encode("utf-8")
            buffer, size = [], 0
    if buffer:
        yield "".join(buffer).encode("utf-8")


def csv_stream(seed: int, job_id: str, output: Output) -> Iterator[bytes]:
    """Header line then one line per row."""
    def lines() -> Iterator[str]:
        yield ",".join(output.columns) + "\r\n"
        for row in rows(seed, job_id, output):
            yield ",".join(_csv_cell(cell) for cell in row) + "\r\n"
    return _chunked(lines())


def json_stream(seed: int, job_id: str, output: Output) -> Iterator[bytes]:
    """A JSON array of row objects, written piece by piece."""
    def pieces() -> Iterator[str]:
        yield "["
        for index, row in enumerate(rows(seed, job_id, output)):
            yield ("," if index else "") + json.dumps(dict(zip(output.columns, row)), separators=(",", ":"))
        yield "]"
    return _chunked(pieces())


def yxdb_stream(seed: int, job_id: str, output: Output) -> Iterator[bytes]:
    """A stand-in for Alteryx's binary .yxdb: a 512-byte header, then the rows deflated."""
    yield YXDB_MAGIC + output.file_name.encode("utf-8")[:200].ljust(512 - len(YXDB_MAGIC), b"\x00")
    packer = zlib.compressobj(6)
    for chunk in csv_stream(seed, job_id, output):
        packed = packer.compress(chunk)
        if packed:
            yield packed
    yield packer.flush()


def _stem(file_name: str) -> str:
    return file_name.rsplit(".", 1)[0] if "." in file_name else file_name


def download(seed: int, job_id: str, output: Output, fmt: str) -> tuple[Iterator[bytes], str, str]:
    """(byte chunks, content type, file name) for one of the output's availableFormats, else BadRequest."""
    if fmt not in output.formats:
        raise BadRequest(f"Format '{fmt}' is not available for output '{output.file_name}'. "
                         f"Available formats: {', '.join(output.formats)}.")
    native_yxdb = output.file_name.lower().endswith(".yxdb")
    if fmt == "Json":
        return json_stream(seed, job_id, output), "application/json", f"{_stem(output.file_name)}.json"
    if fmt == "Csv" or (fmt == "Raw" and not native_yxdb):
        name = output.file_name if fmt == "Raw" else f"{_stem(output.file_name)}.csv"
        return csv_stream(seed, job_id, output), "text/csv; charset=utf-8", name
    return yxdb_stream(seed, job_id, output), "application/octet-stream", output.file_name
