"""Does a failed job show its user a plain message in their language, keeping the technical detail in the log?"""

import logging

import sqlalchemy as sa

from inspect_app.extensions import db
from inspect_app.runtime import current_runtime
from inspect_app.services import jobs


@jobs.task("test_sql_failure")
def _sql_failure(session, job, params, report, runtime):
    session.execute(sa.text("SELECT secret_column FROM no_such_table WHERE password = :p"), {"p": "hunter2"})


def test_failed_job_page_shows_no_sql(client, login, users, caplog):
    """Does the job page (and its JSON) show a plain translated message, not the SQL and its parameters?"""
    user = login("supervisor")
    with caplog.at_level(logging.ERROR):
        job = jobs.submit(db.session, user, "test_sql_failure", {}, runtime=current_runtime())
    assert job.status == "failed"
    # (The locale is picked once per test here: the test's app context outlives each request.)
    status = client.get(f"/jobs/{job.id}.json?lang=kk").get_json()
    page = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    for shown in (page, status["message"]):
        assert "no_such_table" not in shown and "hunter2" not in shown and "SELECT" not in shown
    assert status["message"] == "Тапсырма сервердегі қате салдарынан орындалмады; ештеңе сақталмады."
    assert status["message"] in page
    assert "no_such_table" in caplog.text and "no_such_table" in job.error
