"""Small helpers shared by the Server emulator tests."""
from __future__ import annotations

from typing import Any, Callable

import requests

ALWAYS_ERROR = "Legacy ERP Extract"
ALWAYS_WARNING = "Address Standardization"
RUN_DISABLED = "Mainframe Archive Import"
ONE_OF_EACH = "Demand Forecast Builder"


def workflow_named(v3: requests.Session, name: str) -> dict[str, Any]:
    """The one v3 workflow whose name is exactly name."""
    found = [w for w in v3.get(f"{v3.base}/webapi/v3/workflows", params={"name": name}).json() if w["name"] == name]
    assert len(found) == 1, f"expected one workflow named {name!r}, found {len(found)}"
    return found[0]


def submit(v3: requests.Session, workflow_id: str, body: dict | None = None) -> requests.Response:
    """POST /webapi/v3/workflows/{id}/jobs."""
    return v3.post(f"{v3.base}/webapi/v3/workflows/{workflow_id}/jobs", json=body or {})


def job(v3: requests.Session, job_id: str, **params: Any) -> dict[str, Any]:
    """GET /webapi/v3/jobs/{id}."""
    response = v3.get(f"{v3.base}/webapi/v3/jobs/{job_id}", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def clock(control: Callable[..., requests.Response], **body: Any) -> dict[str, Any]:
    """POST /_sandbox/clock with set/advance/freeze."""
    return control("POST", "clock", json=body).json()
