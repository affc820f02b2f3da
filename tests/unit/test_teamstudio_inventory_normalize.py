"""Team Studio inventory normalisers on JSON recorded from the emulator (trimmed to the fields that matter)."""
from __future__ import annotations

from app.platforms.records import RunStatus
from app.platforms.teamstudio.inventory import (is_hadoop, normalize_data_source, normalize_database,
                                                normalize_member, normalize_user, normalize_workspace, stage_name)
from app.platforms.teamstudio.job_records import normalize_job_detail

DEMOADMIN = {"id": 2, "username": "demoadmin", "first_name": "Demo", "last_name": "Admin",
             "email": "demoadmin@example.com", "admin": True, "roles": ["admin"], "user_type": "analytics_developer",
             "entity_type": "user"}
PRAMAN = {"id": 3, "username": "praman", "first_name": "Priya", "last_name": "Raman", "email": "praman@example.com",
          "admin": False, "roles": ["data_admin"], "user_type": "data_analyst", "entity_type": "user"}
WORKSPACE = {"id": 1000, "name": "Customer Analytics", "summary": "Customer Analytics projects.",
             "entity_type": "workspace", "public": True, "owner": DEMOADMIN, "archived_at": None, "archiver": None,
             "workspace_stage": {"id": 3, "name": "Model", "entity_type": "workspace_stage"}, "members_count": 5,
             "is_deleted": None, "tags": [], "created_at": "2026-05-09T17:38:11Z", "updated_at": "2026-09-08T05:52:05Z"}
ARCHIVED = {**WORKSPACE, "id": 1002, "name": "Marketing Mix", "archived_at": "2026-10-12T02:04:30Z",
            "workspace_stage": {"id": 5, "name": "Act", "entity_type": "workspace_stage"}, "members_count": 4}
JOB = {"id": 10000, "name": "Nightly Forest Sweep", "entity_type": "job", "description": "Nightly Forest Sweep (days).",
       "workspace": {"id": 1000, "name": "Customer Analytics", "entity_type": "workspace", "public": True,
                     "archived_at": None, "is_deleted": None},
       "owner": DEMOADMIN, "interval_unit": "days", "interval_value": 1, "next_run": "2026-11-24T10:00:00Z",
       "last_run": "2026-11-23T10:00:00Z", "end_run": None, "time_zone": "America/Los_Angeles", "enabled": True,
       "status": "idle", "last_run_failed": False, "success_notify": "nobody", "failure_notify": "everybody",
       "created_at": "2026-02-11T09:42:30Z",
       "tasks": [{"id": 30000, "entity_type": "job_task", "job": {"id": 10000, "name": "Nightly Forest Sweep"},
                  "index": 0, "name": "Run Random Forest Parameter Search", "action": "run_work_flow",
                  "workfile": {"id": 3000, "file_name": "Random Forest Parameter Search", "file_type": "work_flow",
                               "entity_type": "workfile"},
                  "last_process_id": "0b743325-d3d6-4574-a0dc-77969dbf5851"}]}
GPDB = {"id": 1, "name": "Demo_GP", "entity_type": "gpdb_data_source", "host": "gp-master.example.com", "port": 5432,
        "description": "Demo_GP (gpdb_data_source).", "version": "4.3.8.1", "online": True, "state": "online",
        "shared": True, "is_deleted": None, "created_at": "2025-02-04T14:53:38Z"}
HDFS = {"id": 1, "name": "CDH5 Cluster", "entity_type": "hdfs_data_source", "host": "cdh-nn.example.com",
        "port": 8020, "online": True, "state": "online"}
DATABASE = {"id": 1, "name": "analytics", "entity_type": "gpdb_database",
            "data_source": {"id": 1, "name": "Demo_GP", "entity_type": "gpdb_data_source"}}


def test_a_workspace_names_its_stage_owner_and_state():
    """Is a workspace public and active, its stage named, its owner a name and its link Team Studio's own?"""
    space = normalize_workspace(WORKSPACE, "https://ts.example.com")
    assert (space.id, space.name, space.owner, space.stage, space.members_count) == (
        "1000", "Customer Analytics", "Demo Admin", "Model", 5)
    assert space.public and space.active and space.archived_at is None
    assert space.link == "https://ts.example.com/#/workspaces/1000"


def test_an_archived_workspace_is_not_active():
    """Does archived_at make a workspace archived, with its time in UTC?"""
    space = normalize_workspace(ARCHIVED, "u")
    assert not space.active and space.archived_at.isoformat() == "2026-10-12T02:04:30+00:00" and space.stage == "Act"


def test_a_stage_sent_only_as_an_id_is_named():
    """Is a bare workspace_stage_id named by Workspace.Stage, and an unknown one shown as its number?"""
    assert stage_name({"workspace_stage_id": 2}) == "Transform"
    assert stage_name({"workspace_stage": {"id": 9}}) == "stage 9"
    assert stage_name({}) == "—"


def test_a_member_keeps_its_role():
    """Is a member list entry a name, username and workspace role?"""
    member = normalize_member({**DEMOADMIN, "role": "Project Manager"})
    assert (member.user_id, member.name, member.username, member.role) == ("2", "Demo Admin", "demoadmin",
                                                                           "Project Manager")


def test_a_job_has_its_schedule_in_words_and_its_tasks_in_order():
    """Is a job's schedule the common record (interval in words, zone) with its workspace, status and tasks?"""
    job = normalize_job_detail(JOB, "c", "u")
    assert job.schedule.trigger.text == "every day (America/Los_Angeles)" and job.workspace.id == "1000"
    assert job.schedule.last_status is RunStatus.SUCCEEDED and not job.running
    assert [(t.action_words, t.workfile.name, t.workfile.id) for t in job.tasks] == [
        ("run workflow", "Random Forest Parameter Search", "3000")]


def test_users_carry_application_role_admin_and_data_admin():
    """Do admin and roles become admin and data admin, roles given as a list or one string?"""
    admin, analyst = normalize_user(DEMOADMIN), normalize_user(PRAMAN)
    assert admin.admin and not admin.data_admin and admin.user_type == "analytics_developer"
    assert analyst.data_admin and not analyst.admin and analyst.name == "Priya Raman"
    assert normalize_user({**PRAMAN, "roles": "data_admin"}).data_admin
    assert normalize_user({**PRAMAN, "roles": "admin", "admin": False}).admin


def test_data_sources_are_database_or_hadoop():
    """Is a gpdb source a Database with its host, and an hdfs one Hadoop (whose ids overlap the database ones)?"""
    gpdb, hdfs = normalize_data_source(GPDB), normalize_data_source(HDFS)
    assert (gpdb.category, gpdb.state, gpdb.host, gpdb.port) == ("Database", "online", "gp-master.example.com", "5432")
    assert hdfs.category == "Hadoop" and gpdb.databases is None
    assert normalize_data_source({**GPDB, "state": None, "online": False}).state == "offline"
    assert is_hadoop("HadoopCluster") and not is_hadoop("JDBCDataSource")


def test_a_database_keeps_its_name_and_type():
    """Is a database its id, name and entity type, whatever data source it names?"""
    assert normalize_database(DATABASE) == normalize_database({**DATABASE, "data_source": None})
    assert (normalize_database(DATABASE).name, normalize_database(DATABASE).entity_type) == ("analytics",
                                                                                              "gpdb_database")
