"""What the review page of a schedule shows."""

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from inspect_app.models import Facility, Inspector, Schedule
from inspect_app.services.schedule_problem import db_id


def schedule_summary(session: Session, schedule: Schedule) -> dict[str, Any]:
    """What the review page shows: stats, routes with names, unscheduled with reasons, map points."""
    fac_ids = [db_id(f["id"]) for f in schedule.problem["facilities"]]
    facilities = {f.id: f for f in session.scalars(sa.select(Facility).where(Facility.id.in_(fac_ids)))}
    inspectors = {i.id: i for i in session.scalars(
        sa.select(Inspector).where(Inspector.id.in_([db_id(i["id"]) for i in schedule.problem["inspectors"]])))}
    visits = {v.facility_id: v for v in schedule.visits}
    routes = []
    for route in sorted(schedule.schedule["routes"], key=lambda r: (r["inspector"], r["date"])):
        ins = inspectors.get(db_id(route["inspector"]))
        stops = []
        for stop in route["stops"]:
            fac = facilities.get(db_id(stop["facility"]))
            visit = visits.get(db_id(stop["facility"]))
            stops.append({"visit_id": visit.id if visit else None, "facility": fac, "start": stop["start"],
                          "end": stop["end"], "must_visit": visit.must_visit if visit else False})
        routes.append({"inspector": ins, "inspector_id": db_id(route["inspector"]), "date": route["date"],
                       "depart": route["depart"], "return": route["return"], "travel_km": route["travel_km"],
                       "stops": stops, "home": [ins.home_lat, ins.home_lon] if ins else None})
    unscheduled = [{"facility": facilities.get(db_id(u["facility"])), "reason": u["reason"]}
                   for u in schedule.schedule["unscheduled"]]
    stats = schedule.stats or {}
    return {
        "routes": routes, "unscheduled": unscheduled, "dates": schedule.problem["dates"],
        "inspectors": sorted(inspectors.values(), key=lambda i: i.full_name),
        "must_total": stats.get("must_visit", 0), "must_scheduled": stats.get("must_visit_scheduled", 0),
        "optional_scheduled": stats.get("optional_scheduled", 0), "travel_km": stats.get("travel_km", 0),
        "excluded": [{"facility": session.get(Facility, e["facility_id"]), "reason": e["reason"]}
                     for e in stats.get("excluded", [])],
    }
