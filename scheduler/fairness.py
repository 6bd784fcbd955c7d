"""Is the schedule fair on every axis? Visit rates of due facilities by group, checked by the engine itself.

Facilities are grouped five ways: the skills a visit needs, its service length (thirds), how wide its opening
hours are (narrow/wide: the minutes in which the visit can start), the distance from the nearest home of an
inspector who may go there (fifths) and the facility type (`kind`). Thirds, fifths and the narrow/wide cut are
taken over the due (must-visit) facilities; optional lottery candidates fall into the same groups.

The rule: inside one priority class, every group's rate is at least THRESHOLD x the best group's (groups of at
least MIN_GROUP due facilities; fewer cannot be judged on one schedule). A group below it is listed with the
reason when the engine knows one:
- the reason most of its unvisited members were left out for good (`too_far`: no eligible inspector within a
  day; `dates`: closed on every date an eligible inspector works; `skills`, `conflict`, `window`), when those
  alone bring its rate up to the rule;
- `scarce_skills`: the few inspectors who may go there (their skills) spent their days on visits of a higher
  priority or of groups that wait about as often, so no better-served visit took a place these needed;
- none (`reason` null): the group waits more than the others without a cause the engine can name, which a
  supervisor should not publish without a look.
"""

from __future__ import annotations

from dataclasses import dataclass

from .eligibility import (
    REASON_EXCLUDED,
    REASON_NO_DATE,
    REASON_NO_SKILL,
    REASON_REGION,
    REASON_TOO_FAR,
    REASON_WINDOW,
    Instance,
    eligibility,
)
from .priority import priority_class
from .travel import km_matrix

AXES = ("skills", "service", "window", "distance", "kind")
# Every group's rate inside a priority class is at least this share of the best group's.
THRESHOLD = 0.8
# Groups with fewer due facilities in a class are reported but not judged (one seed's noise is too large).
MIN_GROUP = 10
# A group's shortfall is put down to scarce skills when at least this share of its inspectors' visits were of a
# higher class or of groups that wait about as often (within THRESHOLD).
SCARCE_SHARE = 0.9
# The engine's reasons for good (more inspector-days would not place them), by code.
LASTING = ((REASON_TOO_FAR, "too_far"), (REASON_NO_DATE, "dates"), (REASON_NO_SKILL.split("(")[0], "skills"),
           (REASON_REGION.split("{")[0], "skills"), (REASON_EXCLUDED, "conflict"), (REASON_WINDOW, "window"))


@dataclass(frozen=True)
class Group:
    """One group of one axis: a stable key and, for ranges, its bounds (minutes or km)."""

    axis: str
    key: str
    low: float | None = None
    high: float | None = None

    def to_dict(self) -> dict:
        """The group's JSON form (bounds only for ranges)."""
        out: dict = {"key": self.key}
        if self.low is not None:
            out["range"] = [self.low, self.high]
        return out


def lasting_reason(reason: str) -> str | None:
    """The code of an unscheduled reason that more inspector-days would not fix, or None."""
    for text, code in LASTING:
        if reason.startswith(text):
            return code
    return None


def _ranked_groups(axis: str, values: dict[int, float], due: list[int], parts: int, digits: int) -> dict[int, Group]:
    """Cut `values` of the due facilities into `parts` by rank (equal values stay together); every facility
    with a value falls into the part whose range holds it (the last below the first cut goes to the first)."""
    ranked = sorted(values[f] for f in due if f in values)
    if not ranked:
        return {}
    # Each distinct value goes to the part of the middle of its run of equal values.
    bins: dict[float, int] = {}
    n = len(ranked)
    i = 0
    while i < n:
        j = i
        while j < n and ranked[j] == ranked[i]:
            j += 1
        bins[ranked[i]] = min(parts - 1, int(parts * (i + j) / 2 / n))
        i = j
    distinct = sorted(bins)
    lows = {}
    for v in distinct:
        lows.setdefault(bins[v], v)
    used = sorted(set(bins.values()))
    bounds = {b: (lows[b], max(v for v in distinct if bins[v] == b)) for b in used}
    groups = {b: Group(axis, f"{axis}{k + 1}", round(lo, digits), round(hi, digits))
              for k, (b, (lo, hi)) in enumerate(sorted(bounds.items()))}
    out = {}
    for f, v in values.items():
        part = used[0]
        for b in used:
            if v >= bounds[b][0]:
                part = b
        out[f] = groups[part]
    return out


class Groups:
    """Every facility's group on every axis, with what the reasons need (eligible inspectors, distances)."""

    def __init__(self, inst: Instance, usable, reasons: dict[int, str]):
        p = inst.p
        self.inst, self.usable, self.reasons = inst, usable, reasons
        n = len(p.facilities)
        self.due = [f for f in range(n) if p.facilities[f].must_visit]
        self.optional = [f for f in range(n) if not p.facilities[f].must_visit]
        self.cls = {f: priority_class(p.facilities[f].priority) for f in self.due}
        # The nearest home of an inspector who may go there at all (skills, region, conflicts), dates and reach aside.
        self.near_km: dict[int, float] = {}
        if n and p.inspectors:
            km = km_matrix([x.lat for x in p.facilities], [x.lon for x in p.facilities],
                           [x.lat for x in p.inspectors], [x.lon for x in p.inspectors])
            for f in range(n):
                ks = [k for k in inst.candidate_inspectors(f) if inst.may_serve(f, k)]
                if ks:
                    self.near_km[f] = float(km[f, ks].min())
        slack = {f: sum(max(0, w.end - w.start - fac.service_minutes) for w in fac.windows)
                 for f, fac in enumerate(p.facilities)}
        service = {f: float(fac.service_minutes) for f, fac in enumerate(p.facilities)}
        self.of: dict[str, dict[int, Group]] = {
            "skills": {f: Group("skills", "+".join(sorted(fac.skills))) for f, fac in enumerate(p.facilities)},
            "service": _ranked_groups("service", service, self.due, 3, 0),
            "window": self._window_groups(slack),
            "distance": _ranked_groups("distance", self.near_km, self.due, 5, 1),
            "kind": {f: Group("kind", fac.kind or "") for f, fac in enumerate(p.facilities)},
        }
        for f in range(n):
            self.of["distance"].setdefault(f, Group("distance", "none"))

    def _window_groups(self, slack: dict[int, int]) -> dict[int, Group]:
        """Narrow: less time to start the visit than the median due facility has; wide: the rest."""
        if not self.due:
            return {f: Group("window", "wide") for f in slack}
        ranked = sorted(slack[f] for f in self.due)
        cut = ranked[len(ranked) // 2]
        narrow = [v for v in ranked if v < cut]
        wide = [v for v in ranked if v >= cut]
        g_narrow = Group("window", "narrow", narrow[0] if narrow else 0, narrow[-1] if narrow else cut)
        g_wide = Group("window", "wide", wide[0], wide[-1])
        return {f: g_narrow if v < cut else g_wide for f, v in slack.items()}

    @classmethod
    def of_problem(cls, problem) -> Groups:
        """The groups of a problem (eligibility computed here)."""
        inst = Instance(problem)
        usable, reasons = eligibility(inst)
        return cls(inst, usable, reasons)


def _rate(visited: float, total: int) -> float | None:
    return round(visited / total, 3) if total else None


def axis_rows(groups: Groups, visits: dict[int, float]) -> dict[str, list[dict]]:
    """Per axis, one row per group: due facilities, visits, rate; optional candidates, visits, rate.

    `visits` maps a facility to its visits (1/0 for one schedule; a mean over seeds for a bench).
    """
    out = {}
    for axis in AXES:
        rows: dict[str, dict] = {}
        order: dict[str, Group] = {}
        for f, g in groups.of[axis].items():
            row = rows.setdefault(g.key, {**g.to_dict(), "due": 0, "visited": 0.0, "optional": 0,
                                          "optional_visited": 0.0})
            order[g.key] = g
            if f in groups.cls:
                row["due"] += 1
                row["visited"] += visits.get(f, 0)
            else:
                row["optional"] += 1
                row["optional_visited"] += visits.get(f, 0)
        ranked = sorted(rows, key=lambda k: (order[k].low if order[k].low is not None else 0, k))
        out[axis] = [{**r, "visited": round(r["visited"], 3), "rate": _rate(r["visited"], r["due"]),
                      "optional_visited": round(r["optional_visited"], 3),
                      "optional_rate": _rate(r["optional_visited"], r["optional"])}
                     for r in (rows[k] for k in ranked)]
    return out


def _scarce(groups: Groups, axis: str, key: str, waiting: list[int], routes: dict[tuple[int, int], list[int]],
            c: int, rate: dict[str, float]) -> int | None:
    """How many inspectors may make the group's waiting visits, when they are not all of them and their days went to
    visits of a higher class or of groups served no better than THRESHOLD allows; None when they made visits of
    better-served groups, of lower classes or optional ones instead."""
    p = groups.inst.p
    pool = {int(k) for f in waiting for k in groups.usable[f]}
    if not pool or len(pool) == len(p.inspectors):
        return None
    theirs = [f for (k, _), seq in routes.items() if k in pool for f in seq]
    if not theirs:
        return None
    ceiling = rate[key] / THRESHOLD
    better = sum(1 for f in theirs if f not in groups.cls or groups.cls[f] < c
                 or (groups.cls[f] == c and rate.get(groups.of[axis][f].key, 0.0) > ceiling + 1e-9))
    return len(pool) if better <= (1 - SCARCE_SHARE) * len(theirs) else None


def below_rule(groups: Groups, routes: dict[tuple[int, int], list[int]]) -> list[dict]:
    """Groups whose rate inside a priority class is under THRESHOLD x the best group's, with the reason if known."""
    routed = {f for seq in routes.values() for f in seq}
    out = []
    for c in sorted(set(groups.cls.values()), reverse=True):
        in_class = [f for f in groups.due if groups.cls[f] == c]
        for axis in AXES:
            members: dict[str, list[int]] = {}
            for f in in_class:
                members.setdefault(groups.of[axis][f].key, []).append(f)
            judged = {k: m for k, m in members.items() if len(m) >= MIN_GROUP}
            if len(judged) < 2:
                continue
            rate = {k: sum(1 for f in m if f in routed) / len(m) for k, m in members.items()}
            best = max(sorted(judged), key=lambda k: rate[k])
            for key in sorted(judged):
                m = judged[key]
                if rate[key] >= THRESHOLD * rate[best] - 1e-9:
                    continue
                lasting = [lasting_reason(groups.reasons.get(f, "")) for f in m if f not in routed]
                lasting = [r for r in lasting if r]
                entry = {"class": c, "axis": axis, "group": key, "due": len(m), "rate": round(rate[key], 3),
                         "best_group": best, "best_rate": round(rate[best], 3),
                         "ratio": round(rate[key] / rate[best], 3), "reason": None}
                if lasting and (sum(1 for f in m if f in routed) + len(lasting)) / len(m) \
                        >= THRESHOLD * rate[best] - 1e-9:
                    entry["reason"] = max(sorted(set(lasting)), key=lasting.count)
                else:
                    waiting = [f for f in m if f not in routed and lasting_reason(groups.reasons.get(f, "")) is None]
                    holders = _scarce(groups, axis, key, waiting, routes, c, rate)
                    if holders is not None:
                        entry["reason"], entry["inspectors"] = "scarce_skills", holders
                out.append(entry)
    return out


def fairness_stats(groups: Groups, routes: dict[tuple[int, int], list[int]]) -> dict:
    """The schedule's fairness stats: the rows of every axis and the groups below the rule."""
    routed = {f for seq in routes.values() for f in seq}
    return {"threshold": THRESHOLD, "min_group": MIN_GROUP,
            "axes": axis_rows(groups, {f: 1 for f in routed}), "below": below_rule(groups, routes)}


def fairness_of(problem, schedule: dict) -> dict:
    """The fairness stats of a schedule dict (after hand edits, absences, urgent visits)."""
    groups = Groups.of_problem(problem)
    fidx = {f.id: k for k, f in enumerate(problem.facilities)}
    iidx = {i.id: k for k, i in enumerate(problem.inspectors)}
    didx = {d: k for k, d in enumerate(problem.dates)}
    routes = {(iidx[r["inspector"]], didx[r["date"]]): [fidx[s["facility"]] for s in r["stops"]]
              for r in schedule.get("routes", []) if r["stops"]}
    return fairness_stats(groups, routes)
