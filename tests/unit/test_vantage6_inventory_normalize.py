"""vantage6 inventory normalisers on JSON recorded from the emulator (trimmed to the fields that matter)."""
from __future__ import annotations

import dataclasses
from datetime import datetime, timezone

from app.platforms.vantage6.inventory import (normalize_collaboration, normalize_node, normalize_role, normalize_user,
                                              organizations, roles_by_user_from_roles, roles_by_user_from_users,
                                              tally_tasks)


def link(kind: str, ident: int) -> dict:
    return {"id": ident, "link": f"/api/{kind}/{ident}", "methods": ["GET", "DELETE", "PATCH"]}


LEIDEN = {"id": 2, "name": "Leiden Health Lab", "domain": "leidenhealth.example.org", "address1": "Albinusdreef 2",
          "address2": "Leiden", "zipcode": "2333 ZA", "country": "Netherlands", "public_key": "",
          "collaborations": "/api/collaboration?organization_id=2", "nodes": "/api/node?organization_id=2",
          "users": "/api/user?organization_id=2"}
MAAS = {**LEIDEN, "id": 3, "name": "Maas Clinic", "domain": "maasclinic.example.org", "country": "Netherlands"}
UPPSALA = {**LEIDEN, "id": 5, "name": "Uppsala Registry", "domain": "uppsala-registry.example.se", "country": "Sweden"}
ROOT_ORG = {"id": 1, "name": "root", "domain": None, "address1": None, "address2": None, "zipcode": None,
            "country": None, "public_key": ""}
ORGS = {"1": "root", "2": "Leiden Health Lab", "3": "Maas Clinic", "5": "Uppsala Registry"}
COLLABS = {"1": "Cancer Registry Federation", "2": "Cardiology Pilot"}
CONFIG = [{"key": "encryption", "value": "true"}, {"key": "database_labels", "value": "default"}]
ONLINE_NODE = {"id": 12, "type": "node", "name": "Leiden Health Lab - Cardiology Pilot Node", "status": "online",
               "last_seen": "2026-11-23T16:42:36.000000", "ip": "10.76.2.2", "organization": link("organization", 2),
               "collaboration": link("collaboration", 2), "config": CONFIG}
OFFLINE_NODE = {"id": 11, "type": "node", "name": "Uppsala Registry - Cancer Registry Federation Node",
                "status": "offline", "last_seen": "2026-11-20T10:44:44.447018", "ip": "10.76.1.5",
                "organization": link("organization", 5), "collaboration": link("collaboration", 1), "config": CONFIG}
CARDIOLOGY = {"id": 2, "name": "Cardiology Pilot", "encrypted": True, "organizations": [LEIDEN, MAAS, UPPSALA],
              "nodes": "/api/node?collaboration_id=2", "tasks": "/api/task?collaboration_id=2",
              "algorithm_stores": "/api/algorithmstore?collaboration_id=2", "studies": "/api/study?collaboration_id=2"}
ROOT_USER = {"id": 1, "type": "user", "username": "root", "firstname": "Root", "lastname": "User",
             "email": "root@example.org", "organization": link("organization", 1), "roles": "/api/role?user_id=1",
             "rules": "/api/rule?user_id=1", "last_seen": "2026-11-13T04:42:44.447018", "ip": None, "status": None,
             "otp_secret": None, "last_email_failed_login_sent": None, "last_email_recover_password_sent": None}
SERVICE_USER = {**ROOT_USER, "id": 2, "username": "flightdeck-svc", "firstname": "Flightdeck", "lastname": "Service",
                "email": "flightdeck-svc@example.org", "organization": link("organization", 2),
                "last_seen": "2026-11-23T16:42:46.273417", "ip": "127.0.0.1"}
ROOT_ROLE = {"id": 1, "name": "Root", "description": "Super role", "organization": None,
             "rules": "/api/rule?role_id=1", "users": "/api/user?role_id=1"}
SERVICE_ROLE = {"id": 8, "name": "Flightdeck Service",
                "description": "Dashboard service account: view everything, create and kill tasks",
                "organization": link("organization", 2), "rules": "/api/rule?role_id=8", "users": "/api/user?role_id=8"}
VIEWER_ROLE = {**ROOT_ROLE, "id": 4, "name": "Viewer", "description": "Can view all resources"}
TASK_VIEW = {"id": 45, "name": "task", "scope": "COLLABORATION", "operation": "VIEW",
             "description": "view task (in your collaborations)", "users": "/api/user?rule_id=45"}
RUN_VIEW = {"id": 54, "name": "run", "scope": "COLLABORATION", "operation": "VIEW",
            "description": "view run (in your collaborations)", "users": "/api/user?rule_id=54"}


def task(ident: int, status: str, collaboration: int, parent: int | None = None) -> dict:
    return {"id": ident, "status": status, "collaboration": link("collaboration", collaboration),
            "parent": link("task", parent) if parent else None}


def test_a_node_names_its_organisation_and_collaboration():
    """Is an online node online, with its organisation and collaboration by name and a UTC last seen?"""
    node = normalize_node(ONLINE_NODE, ORGS, COLLABS)
    assert (node.id, node.organization, node.collaboration, node.status, node.ip) == (
        "12", "Leiden Health Lab", "Cardiology Pilot", "online", "10.76.2.2")
    assert node.online and node.last_seen == datetime(2026, 11, 23, 16, 42, 36, tzinfo=timezone.utc)


def test_an_offline_node_is_not_online():
    """Is a node whose status is offline not online, though it was seen before?"""
    node = normalize_node(OFFLINE_NODE, ORGS, COLLABS)
    assert node.status == "offline" and not node.online and node.last_seen is not None


def test_a_node_linking_to_an_unknown_organisation_says_so():
    """Does a node of an organisation missing from the names read 'organisation <id>'?"""
    assert normalize_node(ONLINE_NODE, {}, {}).organization == "organisation 2"


def test_a_collaboration_lists_its_organisations_with_their_nodes():
    """Does an encrypted collaboration list its embedded organisations by name, each with its node or none?"""
    nodes = [normalize_node(n, ORGS, COLLABS) for n in (ONLINE_NODE, OFFLINE_NODE)]
    collab = normalize_collaboration(CARDIOLOGY, nodes, ORGS)
    assert collab.encrypted and collab.name == "Cardiology Pilot"
    assert [m.organization for m in collab.members] == ["Leiden Health Lab", "Maas Clinic", "Uppsala Registry"]
    assert collab.members[0].node is not None and collab.members[0].node.id == "12"
    assert collab.members[1].node is None and collab.members[2].node is None  # node 11 is in collaboration 1
    assert (collab.nodes, collab.nodes_online) == (1, 1)


def test_a_collaboration_without_embedded_organisations_takes_them_from_its_nodes():
    """Without include=organizations (a link string), are the members the organisations of its nodes?"""
    raw = {**CARDIOLOGY, "organizations": "/api/organization?collaboration_id=2"}
    collab = normalize_collaboration(raw, [normalize_node(ONLINE_NODE, ORGS, COLLABS)], ORGS)
    assert [(m.organization, m.node.name if m.node else None) for m in collab.members] == [
        ("Leiden Health Lab", "Leiden Health Lab - Cardiology Pilot Node")]


def test_organisations_count_their_nodes_and_users():
    """Does each organisation count the nodes and users that link to it, sorted by name?"""
    nodes = [normalize_node(n, ORGS, COLLABS) for n in (ONLINE_NODE, OFFLINE_NODE)]
    found = organizations([UPPSALA, ROOT_ORG, LEIDEN], nodes, [ROOT_USER, SERVICE_USER])
    assert [(o.name, o.country, o.domain, o.nodes, o.users) for o in found] == [
        ("Leiden Health Lab", "Netherlands", "leidenhealth.example.org", 1, 1), ("root", "", "", 0, 1),
        ("Uppsala Registry", "Sweden", "uppsala-registry.example.se", 1, 0)]


def test_a_user_has_a_name_organisation_and_roles_and_nothing_secret():
    """Is a user named by first and last name, with organisation and sorted roles, and no secret field?"""
    user = normalize_user(SERVICE_USER, ORGS, ["Viewer", "Flightdeck Service"])
    assert (user.name, user.username, user.email, user.organization, user.roles) == (
        "Flightdeck Service", "flightdeck-svc", "flightdeck-svc@example.org", "Leiden Health Lab",
        ("Flightdeck Service", "Viewer"))
    fields = {f.name for f in dataclasses.fields(user)}
    assert not fields & {"password", "otp_secret", "ip"}


def test_a_user_without_a_name_is_shown_by_username():
    """Is a user with no first or last name shown by username?"""
    assert normalize_user({**ROOT_USER, "firstname": None, "lastname": ""}, ORGS).name == "root"


def test_a_role_lists_its_rules():
    """Does a role carry its rules (name, operation, scope) sorted, and a default role no organisation?"""
    role = normalize_role(VIEWER_ROLE, ORGS, [TASK_VIEW, RUN_VIEW])
    assert role.organization == "—"
    assert [(r.name, r.operation, r.scope) for r in role.rules] == [
        ("run", "VIEW", "COLLABORATION"), ("task", "VIEW", "COLLABORATION")]
    assert normalize_role(SERVICE_ROLE, ORGS).organization == "Leiden Health Lab"


def test_roles_per_user_read_either_way_agree():
    """Do one role list per user and one user list per role give the same roles per user?"""
    per_user = roles_by_user_from_users([ROOT_USER, SERVICE_USER], [[ROOT_ROLE], [SERVICE_ROLE, VIEWER_ROLE]])
    per_role = roles_by_user_from_roles([ROOT_ROLE, VIEWER_ROLE, SERVICE_ROLE],
                                        [[ROOT_USER], [SERVICE_USER], [SERVICE_USER]])
    assert per_user == per_role == {"1": ("Root",), "2": ("Flightdeck Service", "Viewer")}


def test_tasks_are_tallied_per_collaboration_and_status_word():
    """Are top-level tasks counted per collaboration and per whole status word, subtasks left out?"""
    tally = tally_tasks([task(329, "killed by user", 1), task(328, "active", 1), task(327, "killed by user", 2),
                         task(324, "pending", 1, parent=320), task(320, "non-existing Docker image", 1)])
    assert tally.total == 4
    assert tally.by_collaboration == (("1", 3), ("2", 1))
    assert tally.by_status == (("killed by user", 2), ("active", 1), ("non-existing Docker image", 1))
