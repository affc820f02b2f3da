"""Team Studio normalisers and results on recorded JSON (shapes from the seed notebooks)."""
from __future__ import annotations

from app.platforms.records import RunStatus
from app.platforms.teamstudio.normalize import interval_words, normalize_job, normalize_results, normalize_workflow
from app.platforms.teamstudio.results import metrics, operator_outputs

RESULTS = {
    "flowMetaInfo": {"endTime": "2017-04-25T15:00:35.178-0700", "executeUser": "7", "noOfError": 0,
                     "noOfNodesProcessed": 3, "processId": "4b820a92-08d1-49f7-9aac-ce07eef4dd3d",
                     "startTime": "2017-04-25T14:59:03.259-0700", "status": "SUCCESS", "workflowId": "1269",
                     "workflowName": "Data ETL"},
    "logs": [{"level": "INFO", "nodeName": "", "message": "started"},
             {"level": "ERROR", "nodeName": "Join", "message": "no key"}],
    "outputs": [
        {"out_title": "Alpine Forest Classification", "visualType": 6, "out_id": 1.5, "isGenerateReport": True,
         "visualData": [{"out_title": "Summary", "visualType": 1, "visualData": "50 trees"},
                        {"out_title": "Tree Summary", "visualType": 0,
                         "visualData": {"columns": ["", "Average over All Trees"],
                                        "items": [{"": "Number of Trees", "Average over All Trees": "50"}]}}],
         "node_meta_info": [{"key": "Operator", "value": "Alpine Forest"}]},
        {"out_title": "Confusion Matrix", "visualType": 6, "out_id": 2.5, "isGenerateReport": True,
         "visualData": [{"out_title": "Confusion Matrix", "visualType": 0,
                         "visualData": {"items": [{"Class": "g", "Class Recall": "0.93"},
                                                  {"Class": "h", "Class Recall": "0.77"},
                                                  {"Class": "", "Class Recall": "Accuracy: 0.8781"}]}}]},
    ],
}


def test_results_become_a_run_in_utc_with_its_log_and_errors():
    """Do the engine's local-offset times become UTC, SUCCESS succeeded, and ERROR lines errors?"""
    run = normalize_results(RESULTS, "1269.4b82", "c", "https://ts")
    assert run.status is RunStatus.SUCCEEDED and run.started.isoformat() == "2017-04-25T21:59:03.259000+00:00"
    assert run.errors == ("Join: no key",) and dict(run.details)["Operators processed"] == "3"
    stopped = normalize_results({**RESULTS, "flowMetaInfo": {**RESULTS["flowMetaInfo"], "status": "STOPPED"}},
                                "x", "c", "u")
    assert stopped.status is RunStatus.CANCELED


def test_outputs_keep_their_order_and_composites_flatten():
    """Are operators in order, with a composite's text and table as blocks of their own?"""
    outputs = operator_outputs(RESULTS)
    assert [o.title for o in outputs] == ["Alpine Forest Classification", "Confusion Matrix"]
    forest = outputs[0]
    assert [b.title for b in forest.blocks] == ["Summary", "Tree Summary"] and forest.blocks[0].text == "50 trees"
    assert forest.blocks[1].table.columns == ("", "Average over All Trees") and forest.facts == (("Operator", "Alpine Forest"),)


def test_metrics_name_every_number_in_the_tables():
    """Can the sweep find the number of trees and the accuracy inside text cells, by name, the accuracy first?"""
    found = metrics(RESULTS)
    assert found["Alpine Forest Classification › Tree Summary › Number of Trees › Average over All Trees"] == 50
    assert found["Confusion Matrix › row 3 › Accuracy"] == 0.8781
    assert found["Confusion Matrix › g › Class Recall"] == 0.93
    assert next(iter(found)) == "Confusion Matrix › row 3 › Accuracy"


def test_jobs_and_workfiles():
    """Do intervals read in words, on-demand jobs stay manual, and workflow variables become parameters?"""
    assert interval_words("weeks", 2) == "every 2 weeks" and interval_words("hours", "1") == "every hour"
    job = normalize_job({"id": 5, "name": "Nightly", "interval_unit": "on_demand", "interval_value": 0,
                         "next_run": "2026-01-01T00:00:00Z", "time_zone": "Europe/Berlin", "tasks": []}, "c", "u")
    assert job.trigger.kind == "manual" and job.trigger.text == "on demand" and job.target is None
    workflow = normalize_workflow({"id": 701, "file_name": "Random Forest Parameter Search", "file_type": "work_flow",
                                   "workflow_variables": [{"name": "@n_trees", "value": "50"}, {"name": "bad"}]},
                                  "c", "u")
    assert workflow.runnable and [(p.name, p.default) for p in workflow.parameters] == [("@n_trees", "50")]
