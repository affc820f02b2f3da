"""A platform's read-only admin inventory page: one section at a time, searched and paged the same way everywhere."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from flask import render_template, request

from app.errors import PlatformError
from app.listing import search_text
from app.pagination import clamp_page, page_of, requested_per_page
from app.platforms.views import unique_errors


@dataclass(frozen=True)
class Section:
    """One inventory section: its key in `?section=`, its tab label and what its search box matches."""

    key: str
    label: str
    placeholder: str


def render_inventory(svc: Any, sections: tuple[Section, ...], template: str,
                     rows: Callable[[str, str, list[PlatformError]], tuple[Any, list[Any]]]) -> str:
    """The chosen section (the first one by default), its rows for the search text, one page of them, and a
    banner per distinct platform failure. `rows(section, q, errors)` answers (what was fetched, matching rows)."""
    by_key = {s.key: s for s in sections}
    section = by_key.get(request.args.get("section", ""), sections[0])
    errors: list[PlatformError] = []
    q = search_text(request.args)
    fetched, matching = rows(section.key, q, errors)
    page = page_of(matching, clamp_page(request.args.get("page")), requested_per_page())
    return render_template(template, svc=svc, section=section.key, sections=[(s.key, s.label) for s in sections],
                           section_label=section.label, placeholder=section.placeholder, page=page,
                           errors=unique_errors(errors), fetched=fetched, q=q)
