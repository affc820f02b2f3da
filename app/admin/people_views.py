"""The cross-platform people pages (admins only, like every /admin URL): people matched by email, schedule owners
flagged when disabled or gone, and who can run what; each searched, paged and exported as CSV (`?export=csv`)."""
from __future__ import annotations

from typing import Any, Callable, Iterable

from flask import render_template, request

from app.admin import bp
from app.admin.owners import (OWNER_STATES, OWNERS_CSV, RUNS_CSV, owned_schedules, owner_rows, run_right_rows,
                              run_rights)
from app.admin.people import PEOPLE_CSV, Person, match_people, people_rows
from app.admin.people_reads import Directory, flightdeck_usernames, read_directory
from app.cache import derived
from app.exports import csv_response
from app.listing import matching, search_text
from app.pagination import clamp_page, page_of, requested_per_page

RUN_WORDS = ("yes", "no", "unknown")


def _choice(name: str, allowed: Iterable[str]) -> str:
    value = str(request.args.get(name, ""))
    return value if value in allowed else ""


def _people(directory: Directory) -> list[Person]:
    """Everyone, matched once per copy of the accounts and of Flightdeck's usernames."""
    local = flightdeck_usernames()
    return derived("admin-people", (directory.version, local),
                   lambda: match_people(directory.all_accounts(), local))


def _page(template: str, items: list, directory: Directory, **context: Any) -> str:
    page = page_of(items, clamp_page(request.args.get("page")), requested_per_page())
    return render_template(template, page=page, banners=directory.banners, q=search_text(request.args),
                           connections=list(directory.accounts), **context)


def _export_or_page(filename: str, header: tuple[str, ...], rows: Callable[[], Iterable[list[object]]],
                    render: Callable[[], str]) -> Any:
    if request.args.get("export") == "csv":
        return csv_response(filename, header, rows())
    return render()


@bp.route("/people")
def people():
    """Every platform's accounts side by side, one row per person matched by email."""
    directory = read_directory()
    connection = _choice("connection", directory.accounts)
    matched = _choice("matched", ("yes", "no"))
    shown = [p for p in matching(_people(directory), search_text(request.args), lambda p: p.texts)
             if (not connection or connection in p.connections) and (not matched or p.matched == (matched == "yes"))]
    return _export_or_page("flightdeck-people", PEOPLE_CSV, lambda: people_rows(shown), lambda: _page(
        "admin/people.html", shown, directory, connection=connection, matched=matched,
        unknown=directory.problems, accounts=sum(len(p.accounts) for p in shown),
        across=sum(1 for p in shown if len(p.connections) > 1)))


@bp.route("/people/owners")
def schedule_owners():
    """Who owns which schedule; owners disabled on their platform or gone from it come first, flagged."""
    directory = read_directory(with_schedules=True)
    connection = _choice("connection", directory.accounts)
    state = _choice("state", (*OWNER_STATES, "flagged"))
    found = derived("admin-owners", directory.version, lambda: owned_schedules(
        directory.schedules, directory.accounts, directory.owners_are_users, directory.problems))
    shown = [o for o in matching(found, search_text(request.args),
                                 lambda o: (o.schedule.name, o.schedule.owner, o.schedule.connection))
             if (not connection or o.schedule.connection == connection)
             and (not state or o.state == state or (state == "flagged" and o.flagged))]
    return _export_or_page("flightdeck-schedule-owners", OWNERS_CSV, lambda: owner_rows(shown), lambda: _page(
        "admin/people_owners.html", shown, directory, connection=connection, state=state,
        states=(*OWNER_STATES, "flagged"), flagged=sum(1 for o in found if o.flagged)))


@bp.route("/people/runs")
def run_rights_page():
    """Per person and account: the connections and workflow kinds they may start runs of, from platform roles."""
    directory = read_directory()
    connection = _choice("connection", directory.accounts)
    can = _choice("can", RUN_WORDS)
    rights = run_rights(_people(directory), directory.kinds)
    shown = [r for r in matching(rights, search_text(request.args), lambda r: (*r.person.texts, r.account.run_scope))
             if (not connection or r.account.connection == connection) and (not can or r.word == can)]
    return _export_or_page("flightdeck-run-rights", RUNS_CSV, lambda: run_right_rows(shown), lambda: _page(
        "admin/people_runs.html", shown, directory, connection=connection, chosen_can=can, words=RUN_WORDS))
