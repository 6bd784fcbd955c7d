"""Every figure of the dashboard opens exactly its rows: a district's counts open the district's audits, the
prescription counts open the items of the period's prescriptions (conftest.py's hand-made dataset)."""

import html as htmllib
import re

from tests.inspect_app.dashboard.conftest import Dataset

FOUND = re.compile(r"Найдено: (\d+)")


def hrefs(html: str, prefix: str) -> list[str]:
    """The unescaped links of the page that start with `prefix`."""
    return [htmllib.unescape(h) for h in re.findall(r'href="([^"]+)"', html) if h.startswith(prefix)]


def audit_rows(client, url: str) -> list[str]:
    """The facility names of an audit list page, one per listed audit."""
    page = client.get(url).get_data(as_text=True)
    return re.findall(r"Школа 1|Сад 2|Школа 3|Школа Б", page.split("<tbody", 1)[1] if "<tbody" in page else page)


def test_a_districts_inspections_open_that_districts_audits(client, login, dataset: Dataset):
    """District 1 has 2 inspections in the period (a1, a3 of Школа 1), 1 of them failed: both numbers link to the
    audit list filtered by the district, which lists exactly those audits and none of district 2; district 2's
    one (a2, corrected) lists once."""
    login("supervisor")
    html = client.get("/dashboard", query_string=dataset.query).get_data(as_text=True)
    links = hrefs(html, "/audits/")
    district = [h for h in links if "district=191000000" in h]
    every = next(h for h in district if "result=" not in h)
    failed = next(h for h in district if "result=fail" in h)
    assert f"date_from={dataset.date_from.isoformat()}" in every and "region=190000000" in every
    assert audit_rows(client, every).count("Школа 1") == 2 and "Сад 2" not in audit_rows(client, every)
    assert audit_rows(client, failed).count("Школа 1") == 1
    # District 2's one inspection is a2 as corrected: its link lists the correction, not the replaced act too.
    second = next(h for h in links if "district=192000000" in h and "result=" not in h)
    assert audit_rows(client, second) == ["Сад 2"]
    assert audit_rows(client, second.replace("current=1", "")).count("Сад 2") == 2


def test_the_audit_list_filters_by_district(client, login, dataset: Dataset):
    """`district` (a KATO code) narrows the audit list to the facilities of that district; the filter form keeps
    it when another filter changes."""
    login("supervisor")
    page = client.get("/audits/", query_string={"district": dataset.district_2.kato}).get_data(as_text=True)
    assert "Сад 2" in page and "Школа 1" not in page
    assert f'name="district" value="{dataset.district_2.kato}"' in page
    assert client.get("/audits/", query_string={"district": "x"}).status_code == 200  # a bad value is dropped


def test_prescription_counts_open_the_items_of_the_period(client, login, dataset: Dataset):
    """Region A's items verified in the period are a1's two (Школа 1, verified by the follow-up a3); the link
    carries the period, so the old item of Сад 2 (delivered 400 days ago, verified by a2) is not among its rows.
    The "not fixed" count opens the open and reported items (a3's one), not the open ones only."""
    login("supervisor")
    html = client.get("/dashboard", query_string=dataset.query).get_data(as_text=True)
    links = [h for h in hrefs(html, "/prescriptions/") if "region=190000000" in h]
    verified = next(h for h in links if "state=verified" in h)
    assert f"date_from={dataset.date_from.isoformat()}" in verified
    assert f"date_to={dataset.date_to.isoformat()}" in verified
    listing = client.get(verified).get_data(as_text=True)
    assert FOUND.search(listing).group(1) == "2" and "Школа 1" in listing and "Сад 2" not in listing
    everything = client.get("/prescriptions/", query_string={"state": "verified"}).get_data(as_text=True)
    assert FOUND.search(everything).group(1) == "3" and "Сад 2" in everything
    unfixed = client.get(next(h for h in links if "state=unfixed" in h)).get_data(as_text=True)
    assert FOUND.search(unfixed).group(1) == "1" and "Школа 1" in unfixed


def test_the_item_list_filters_by_delivery_period(client, login, dataset: Dataset):
    """`date_from`/`date_to` keep the items of prescriptions delivered in those days (the list and the export)."""
    login("supervisor")
    old = (dataset.today.replace(year=dataset.today.year - 2)).isoformat()
    early = {"date_from": old, "date_to": dataset.date_from.isoformat()}
    listing = client.get("/prescriptions/", query_string=early).get_data(as_text=True)
    assert FOUND.search(listing).group(1) == "1" and "Сад 2" in listing and "Школа 1" not in listing
    assert f'name="date_from" value="{old}"' in listing
    export = client.get("/prescriptions/export", query_string={**early, "format": "csv"}).get_data(as_text=True)
    assert len(export.strip().splitlines()) == 2
