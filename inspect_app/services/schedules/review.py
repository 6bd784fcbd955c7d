"""What the review page of a schedule shows."""

from typing import Any

import sqlalchemy as sa
from flask_babel import get_locale
from sqlalchemy.orm import Session

from inspect_app.labels import edit_refusal, exclusion_reason, idle_reason, unscheduled_reason, violation_sentence
from inspect_app.models import District, Facility, Inspector, Schedule
from inspect_app.models.inspector import distinct_names
from inspect_app.services.schedules.capacity import capacity_use, unscheduled_groups
from inspect_app.services.schedules.fairness import fairness_review
from inspect_app.services.schedules.problem import db_id
from inspect_app.services.schedules.signals import refused_entries


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
    reasons = {u["facility"]: u["reason"] for u in schedule.schedule["unscheduled"]}
    locale = str(get_locale() or "ru")

    def facility_name(fid: str) -> str:
        fac = facilities.get(db_id(fid)) if _is_id(fid, "F") else None
        return fac.name(locale) if fac else fid

    def region_name(kato: str) -> str:
        return schedule.region.name(locale) if schedule.region and schedule.region.kato == kato else kato

    groups = [{**g, "facilities": [{"facility": facilities.get(db_id(f)), "reason_code": reasons[f],
                                    "reason": unscheduled_reason(reasons[f], facility_name, region_name)}
                                   for f in g["facilities"]]}
              for g in unscheduled_groups(schedule.problem, schedule.schedule)]
    stats = schedule.stats or {}
    return {
        "routes": routes, "unscheduled_groups": groups, "unscheduled_total": len(reasons),
        "capacity": capacity_use(schedule.problem, schedule.schedule),
        "fairness": fairness_review(stats if "fairness" in stats else schedule.schedule.get("stats")),
        "refused": refused_entries(session, region_id=schedule.region_id),
        "dates": schedule.problem["dates"],
        "inspectors": sorted(inspectors.values(), key=lambda i: i.full_name),
        "must_total": stats.get("must_visit", 0), "must_scheduled": stats.get("must_visit_scheduled", 0),
        "optional_scheduled": stats.get("optional_scheduled", 0), "travel_km": stats.get("travel_km", 0),
        "excluded": [{"facility": session.get(Facility, e["facility_id"]), "reason_code": e["reason"],
                      "reason": exclusion_reason(e["reason"])} for e in stats.get("excluded", [])
                     if not _due_but_closed(e)],
        # Due, but closed on every date of the horizon (calendar, closures, season, hours): unscheduled too.
        "closed_due": [{"facility": session.get(Facility, e["facility_id"]), "reason_code": e["reason"],
                        "reason": exclusion_reason(e["reason"])} for e in stats.get("excluded", [])
                       if _due_but_closed(e)],
    }


def idle_inspectors(schedule: Schedule) -> dict[int, str]:
    """Inspectors of the schedule with no visit in it, each with the reason in the UI language: absent on every
    date, no facility of the problem they may serve, or the solver gave every facility they could do to others."""
    busy = {db_id(r["inspector"]) for r in schedule.schedule["routes"] if r["stops"]}
    dates = set(schedule.problem["dates"])
    out = {}
    for ins in schedule.problem["inspectors"]:
        iid = db_id(ins["id"])
        if iid in busy:
            continue
        if dates <= set(ins.get("unavailable_dates", [])):
            out[iid] = idle_reason("absent")
            continue
        skills = set(ins.get("skills", []))
        eligible = sum(1 for f in schedule.problem["facilities"]
                       if set(f.get("skills", [])) <= skills and ins["id"] not in f.get("excluded_inspectors", [])
                       and (f.get("region") is None or ins.get("region") is None or f["region"] == ins["region"]))
        out[iid] = idle_reason("not_needed", eligible) if eligible else idle_reason("no_eligible")
    return out


def route_grid(session: Session, schedule: Schedule, summary: dict[str, Any], inspector: int | None = None,
               district: int | None = None) -> dict[str, Any]:
    """The review grid: one row per inspector (namesakes told apart), one cell per date with that day's route,
    filtered to one inspector and/or the stops in one district; inspectors without any visit carry the reason.

    Returns {"rows": [{"inspector", "name", "cells": [route or None per date], "visits", "km", "idle"}],
    "dates", "districts": [(id, name)], "names": {inspector id: shown name}}."""
    locale = str(get_locale() or "ru")
    names = distinct_names(summary["inspectors"])
    idle = idle_inspectors(schedule)
    district_ids = {s["facility"].district_id for r in summary["routes"] for s in r["stops"] if s["facility"]}
    query = sa.select(District).where(District.id.in_(district_ids)).order_by(District.name_ru)
    districts = [(d.id, d.name(locale)) for d in session.scalars(query)]
    rows = []
    for ins in summary["inspectors"]:
        if inspector is not None and ins.id != inspector:
            continue
        cells, visits, km = [], 0, 0.0
        for day in summary["dates"]:
            route = next((r for r in summary["routes"] if r["inspector_id"] == ins.id and r["date"] == day), None)
            if route is not None and district is not None:
                stops = [s for s in route["stops"] if s["facility"] and s["facility"].district_id == district]
                route = {**route, "stops": stops} if stops else None
            if route is not None:
                visits += len(route["stops"])
                km += route["travel_km"] or 0
            cells.append(route)
        if district is not None and not visits:
            continue
        rows.append({"inspector": ins, "name": names[ins.id], "cells": cells, "visits": visits,
                     "km": round(km, 1), "idle": idle.get(ins.id)})
    return {"rows": rows, "dates": summary["dates"], "districts": districts, "names": names}


def _due_but_closed(excluded: dict[str, Any]) -> bool:
    return bool(excluded.get("due")) and excluded.get("reason") not in ("planned", "archived", "closed")


def violation_sentences(session: Session, violations: list[dict[str, Any]]) -> list[str]:
    """The engine's broken rules as sentences in the UI language, naming inspectors and facilities by name."""
    facility_name, inspector_name = _namers(session, violations)
    return [violation_sentence(v, facility_name, inspector_name) for v in violations]


def _namers(session: Session, violations: list[dict[str, Any]]):
    """Functions naming the facilities ("F12") and inspectors ("I3") that `violations` mention."""
    locale = str(get_locale() or "ru")
    wanted = {kind: {db_id(v[kind]) for v in violations if _is_id(v.get(kind), kind[0].upper())}
              for kind in ("facility", "inspector")}
    facilities = {f.id: f for f in session.scalars(sa.select(Facility).where(Facility.id.in_(wanted["facility"])))}
    inspectors = {i.id: i for i in session.scalars(sa.select(Inspector)
                                                   .where(Inspector.id.in_(wanted["inspector"])))}

    def facility_name(fid: str) -> str:
        fac = facilities.get(db_id(fid)) if _is_id(fid, "F") else None
        return fac.name(locale) if fac else fid

    def inspector_name(iid: str) -> str:
        ins = inspectors.get(db_id(iid)) if _is_id(iid, "I") else None
        return ins.full_name if ins else iid

    return facility_name, inspector_name


def refusal_text(session: Session, violations: list[dict[str, Any]]) -> str:
    """A refused hand edit in the UI language: the rules a supervisor can act on, by name, and what to change."""
    facility_name, inspector_name = _namers(session, violations)
    return edit_refusal(violations, facility_name, inspector_name)


def facility_namer(session: Session):
    """A function naming a problem's facility id ("F12") in the UI language (the id itself when unknown)."""
    locale = str(get_locale() or "ru")

    def name(fid: str) -> str:
        fac = session.get(Facility, db_id(fid)) if _is_id(fid, "F") else None
        return fac.name(locale) if fac else fid

    return name


def _is_id(value: Any, prefix: str) -> bool:
    return isinstance(value, str) and value[:1] == prefix and value[1:].isdigit()
