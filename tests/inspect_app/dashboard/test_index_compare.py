""""Which districts got worse since spring": the index page beside the index of a period compared with
(conftest.py's hand-made dataset, the weights of the configuration: severity 5/2/1, safety 0.5, in time 0.3)."""

import re
from datetime import timedelta

from tests.inspect_app.dashboard.conftest import Dataset


def test_the_index_beside_an_earlier_period_names_the_districts_that_got_worse(client, login, dataset: Dataset):
    """Period today-300..today-50: district 1 has a1 only (a critical and a minor safety failure: penalty 6,
    safety 100/7 = 14.3, sections 0.5*14.3 + 0.25*100 + 0.25*100 = 57.15, f1 in time) -> 0.3*100 + 0.7*57.15 =
    70.0. Compared with today-30..today: a3 only (a major one: penalty 2, safety 33.3, sections 66.65, in time)
    -> 76.7 (76.655). District 1 is 6.7 lower; district 2 had no inspection in the period, so no change."""
    login("supervisor")
    today = dataset.today
    query = {"date_from": (today - timedelta(days=300)).isoformat(),
             "date_to": (today - timedelta(days=50)).isoformat(),
             "compare_from": (today - timedelta(days=30)).isoformat(), "compare_to": today.isoformat()}
    response = client.get("/dashboard/index", query_string=query)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    worse = re.search(r'<p id="index-worse">(.*?)</p>', html, re.S).group(1)
    assert "Район 1" in worse and "-6.7" in worse and "Район 2" not in worse
    row = re.search(r"<tr>\s*<td[^>]*>[^<]*</td>\s*<td[^>]*>\s*Район 1.*?</tr>", html, re.S).group(0)
    cells = re.findall(r'class="num">(?:<strong[^>]*>)?([^<]*)<', row)
    assert cells[:2] == ["1", "70.0"] and cells[-2:] == ["76.7", "-6.7"]


def test_no_district_got_worse_says_so(client, login, dataset: Dataset):
    """The other way round district 1 improved by 6.7: the page says no area is lower."""
    login("supervisor")
    today = dataset.today
    query = {"date_from": (today - timedelta(days=30)).isoformat(), "date_to": today.isoformat(),
             "compare_from": (today - timedelta(days=300)).isoformat(),
             "compare_to": (today - timedelta(days=50)).isoformat()}
    html = client.get("/dashboard/index", query_string=query).get_data(as_text=True)
    assert "таких нет" in re.search(r'<p id="index-worse">(.*?)</p>', html, re.S).group(1)
    assert "+6.7" in html


def test_half_a_comparison_period_is_refused(client, login, dataset: Dataset):
    """A comparison period with one day only is a 422 naming the missing field; another region's is refused."""
    login("supervisor")
    response = client.get("/dashboard/index", query_string={"compare_from": dataset.date_from.isoformat()})
    assert response.status_code == 422 and "index-worse" not in response.get_data(as_text=True)
    other = client.get("/dashboard/index", query_string={"region": "750000000", **{
        "compare_from": dataset.date_from.isoformat(), "compare_to": dataset.date_to.isoformat()}})
    assert other.status_code == 403
