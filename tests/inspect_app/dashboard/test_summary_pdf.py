"""The dashboard's PDF summary, re-read with pypdf: the figures of the hand-made dataset in each language, from
the page, the API and `flask stats export --format pdf`, scoped like the dashboard."""

import io
from datetime import timedelta

from pypdf import PdfReader

from inspect_app.cli.stats import stats_cli
from tests.inspect_app.dashboard.conftest import Dataset


def _text(body: bytes) -> str:
    reader = PdfReader(io.BytesIO(body))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_the_page_gives_the_summary_in_the_page_language(client, login, dataset: Dataset):
    """Supervisor A in Kazakh: Kazakh headings, region A's districts; region B's facility count nowhere."""
    login("supervisor")
    response = client.get("/dashboard/summary.pdf", query_string={**dataset.query, "lang": "kk"})
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = _text(response.data)
    assert "Нұсқамалар" in text and "Инспекторлардың жұмысы" in text and "1 ауданы" in text
    assert "Нарушения" not in text


def test_the_api_gives_each_language_with_the_figures(client, auth_headers, dataset: Dataset):
    """Region A: 4 live facilities (the archived one left out), 3 counted inspections (a2 once), none reviewed;
    in English and Russian."""
    url = "/api/v1/statistics/summary.pdf"
    russian = _text(client.get(url, query_string=dataset.query, headers=auth_headers("supervisor")).data)
    assert "Показатели соблюдения требований" in russian and "Предписания" in russian
    flat = " ".join(russian.split())
    assert "Объектов 4" in flat and "Проверок 3 (рассмотрено руководителем: 0 из 3)" in flat
    english = _text(client.get(url, query_string={**dataset.query, "lang": "en"},
                               headers=auth_headers("supervisor")).data)
    assert "Prescriptions" in english or "Prescription" in english
    assert client.get(url, headers=auth_headers("inspector")).status_code == 403
    assert client.get(url, query_string={"lang": "de"}, headers=auth_headers("ministry")).status_code == 422


def test_the_cli_writes_the_summary(app, dataset: Dataset, tmp_path):
    output = tmp_path / "summary.pdf"
    result = app.test_cli_runner().invoke(stats_cli, ["export", "--format", "pdf", "--lang", "ru", "-o", str(output),
                                                      "--from", dataset.date_from.isoformat(),
                                                      "--to", dataset.date_to.isoformat()])
    assert result.exit_code == 0, result.output
    text = _text(output.read_bytes())
    assert "Казахстан, все регионы" in text and "Проверки по месяцам" in text


def test_each_chart_is_also_a_table(client, login, dataset: Dataset):
    """Printed, the charts' numbers are readable too: a row per month (by result, the total) and a row per
    section. Region A's counted inspections: a1 failed (today-100), a3 passed with violations (today-20), a2's
    correction passed (today-10); the 3 safety violations: 1 overdue, 1 open in time, 1 resolved."""
    from collections import Counter

    login("supervisor")
    flat = " ".join(_text(client.get("/dashboard/summary.pdf", query_string=dataset.query).data).split())
    today = dataset.today
    counted = Counter()
    for days, result in ((100, "fail"), (20, "pass_with_violations"), (10, "pass")):
        counted[(f"{today - timedelta(days=days):%Y-%m}", result)] += 1
    for month in {month for month, _result in counted}:
        row = [counted[(month, r)] for r in ("pass", "pass_with_violations", "fail")]
        assert f"{month} {row[0]} {row[1]} {row[2]} {sum(row)}" in flat
    assert "Месяц" in flat and "Безопасность 1 1 1" in flat
