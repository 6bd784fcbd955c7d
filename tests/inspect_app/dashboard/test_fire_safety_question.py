""""How many schools have had an open critical fire-safety violation for over 30 days": the prescription items'
list answers it with its filters (state, severity, facility type, a text of the norm, delivered on or before a
day) and counts the facilities beside the items (conftest.py's hand-made dataset, plus one act below)."""

import re
from datetime import timedelta

from inspect_app.extensions import db
from tests.inspect_app.dashboard.conftest import Dataset, submit_audit


def found(html: str) -> tuple[int, int]:
    """(items, facilities) the list says it found."""
    return (int(re.search(r"Найдено: (\d+)", html).group(1)),
            int(re.search(r'id="facility-count">объектов: (\d+)', html).group(1)))


def test_schools_with_an_open_critical_fire_safety_item_over_30_days(client, login, users, dataset: Dataset):
    """Школа 3 got an act 60 days ago failing the fire alarm (critical, Fire Safety Rules) and the video link to
    the police (critical, not a fire-safety norm); b1 (Школа Б, region B) failed the video link 5 days ago.
    Asked nationally: 1 item of 1 school. Without the norm text: 2 items, still 1 school. Without the 30 days
    the video item of Школа Б joins: 3 items of 2 schools."""
    submit_audit(users["supervisor"], dataset.f3, dataset.today - timedelta(days=60),
                 failing={"safety.fire_alarm", "safety.video_police"})
    db.session.commit()
    login("ministry")
    query = {"state": "unclosed", "severity": "critical", "type": "school",
             "date_to": (dataset.today - timedelta(days=30)).isoformat()}
    fire = client.get("/prescriptions/", query_string={**query, "q": "пожар"}).get_data(as_text=True)
    assert found(fire) == (1, 1) and "Школа 3" in fire
    assert found(client.get("/prescriptions/", query_string=query).get_data(as_text=True)) == (2, 1)
    recent = {k: v for k, v in query.items() if k != "date_to"}
    assert found(client.get("/prescriptions/", query_string=recent).get_data(as_text=True)) == (3, 2)


def test_the_norm_text_is_taken_literally(client, login, users, dataset: Dataset):
    """A '%' in the text is a character, not a wildcard (no code or norm holds one), and a backslash fails
    nothing."""
    login("ministry")
    for text in ("%", "\\"):
        response = client.get("/prescriptions/", query_string={"q": text})
        assert response.status_code == 200 and found(response.get_data(as_text=True)) == (0, 0), text
