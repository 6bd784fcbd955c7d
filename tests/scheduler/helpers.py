"""Small hand-made problems for the scheduler tests: facility, inspector and problem dicts."""

import copy

DATES = ["2027-02-01", "2027-02-02", "2027-02-03"]


def facility(fid, lat=43.25, lon=76.95, **kw):
    """A facility dict with sensible defaults near Almaty."""
    base = {"id": fid, "lat": lat, "lon": lon, "service_minutes": 60, "skills": ["safety"],
            "windows": [{"from": "08:00", "to": "18:00"}], "must_visit": True}
    base.update(kw)
    return base


def inspector(iid, lat=43.24, lon=76.91, **kw):
    """An inspector dict with sensible defaults in Almaty."""
    base = {"id": iid, "lat": lat, "lon": lon, "skills": ["safety", "nutrition"], "day_start": "09:00",
            "day_end": "18:00", "max_visits_per_day": 4, "max_minutes_per_day": 480}
    base.update(kw)
    return base


def problem_dict(facilities, inspectors, dates=None):
    """A problem dict from facility and inspector dicts."""
    return {"dates": list(dates or DATES), "travel": {"speed_kmh": 50, "road_factor": 1.3},
            "facilities": copy.deepcopy(facilities), "inspectors": copy.deepcopy(inspectors)}
