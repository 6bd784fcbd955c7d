"""The "overdue by how long" figures open their facilities: the registry list filtered by how late the routine
inspection is today (conftest.py's hand-made dataset, intervals high 90, medium 180, low 365 days)."""

import html as htmllib
import re
from datetime import timedelta

from inspect_app.extensions import db
from tests.factories import FacilityFactory
from tests.inspect_app.dashboard.conftest import Dataset


def names(client, url: str) -> set[str]:
    """The facility names a registry list page shows."""
    page = client.get(url).get_data(as_text=True)
    return set(re.findall(r"Школа \w+|Сад \w+|Лагерь \w+|Поздний \w+", page))


def test_overdue_buckets_link_to_the_late_facilities(client, login, region_a, dataset: Dataset):
    """Today f1 and f2 are in time, f3 (low risk) was never inspected; "Поздний 1" (high risk, last inspected 150
    days ago: 60 days past its 90) is in 31-90. Each figure's link lists exactly those facilities; a past period's
    figures are not linked."""
    FacilityFactory(region=region_a, district=dataset.district_1, type="school", risk="high",
                    name_ru="Поздний 1", last_inspection_date=dataset.today - timedelta(days=150))
    db.session.commit()
    login("supervisor")
    html = client.get("/dashboard", query_string=dataset.query).get_data(as_text=True)
    links = {htmllib.unescape(h) for h in re.findall(r'href="(/facilities/\?[^"]*overdue=[^"]+)"', html)}
    by_key = {re.search(r"overdue=(\w+)", h).group(1): h for h in links if "district=" not in h}
    assert set(by_key) == {"31_90", "never"}
    assert names(client, by_key["31_90"]) == {"Поздний 1"}
    assert names(client, by_key["never"]) == {"Школа 3"}
    district = next(h for h in links if "district=191000000" in h and "overdue=any" in h)
    assert names(client, district) == {"Поздний 1"}
    assert names(client, "/facilities/?overdue=any") == {"Поздний 1", "Школа 3"}
    # A period ending 50 days ago is history: its figures are shown, not linked to today's registry.
    past = {"date_from": dataset.date_from.isoformat(), "date_to": (dataset.today - timedelta(days=50)).isoformat()}
    assert "overdue=" not in client.get("/dashboard", query_string=past).get_data(as_text=True)

