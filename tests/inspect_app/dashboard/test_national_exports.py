"""National exports as background jobs: started from the dashboard (CSRF form), followed on the job's page, the
file downloaded by whoever started it, re-read; scoped like the dashboard."""

import io

from openpyxl import load_workbook
from pypdf import PdfReader

from inspect_app.extensions import db
from inspect_app.models import Job
from tests.inspect_app.dashboard.conftest import Dataset


def _download(client, url: str) -> bytes:
    response = client.get(url)
    try:
        return response.data
    finally:
        response.close()


def _start(client, dataset: Dataset, fmt: str, **extra):
    return client.post("/dashboard/exports", data={**dataset.query, "format": fmt, **extra})


def test_the_ministry_gets_the_country_workbook_through_a_job(client, login, dataset: Dataset, region_a, region_b):
    """The job finishes (inline in tests), its page links the download; the workbook holds the country's areas
    (two regions and the total) and every sheet."""
    login("ministry")
    response = _start(client, dataset, "xlsx")
    assert response.status_code == 302 and "/jobs/" in response.location
    job = db.session.get(Job, response.location.rsplit("/", 1)[-1])
    assert job.status == "finished" and job.kind == "stats_export"
    page = client.get(response.location).get_data(as_text=True)
    assert f"/dashboard/exports/{job.id}" in page
    book = load_workbook(io.BytesIO(_download(client, f"/dashboard/exports/{job.id}")))
    assert {"regions", "prescriptions", "inspectors"} <= set(book.sheetnames)
    assert [row[1] for row in book["regions"].iter_rows(min_row=2, values_only=True)] == [
        region_a.kato, region_b.kato]


def test_a_supervisors_pdf_job_and_who_may_download_it(client, login, dataset: Dataset, region_b):
    """Supervisor A's summary lists region A's districts; another user cannot download it; a supervisor cannot
    start an export of another region; inspectors get 403."""
    login("supervisor")
    response = _start(client, dataset, "pdf")
    job_id = response.location.rsplit("/", 1)[-1]
    text = PdfReader(io.BytesIO(_download(client, f"/dashboard/exports/{job_id}"))).pages[0].extract_text()
    assert "Алматинская" in text or "Район" in text
    assert _start(client, dataset, "pdf", region=region_b.kato).status_code == 403
    client.post("/auth/logout")
    login("supervisor_b")
    assert client.get(f"/dashboard/exports/{job_id}").status_code == 404
    client.post("/auth/logout")
    login("inspector")
    assert _start(client, dataset, "xlsx").status_code == 403
