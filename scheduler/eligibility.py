"""Who may visit what: skills, regions, conflicts of interest, dates, reach; and one capacity estimate."""

from __future__ import annotations

import numpy as np

from .problem import Problem
from .travel import km_matrix, minutes_matrix

REASON_NO_SKILL = "no inspector holds its skills ({skills})"
REASON_EXCLUDED = "every inspector holding its skills is excluded (conflict of interest)"
REASON_REGION = "no inspector of region {region} holds its skills"
REASON_WINDOW = "no opening window is as long as its service time"
REASON_NO_DATE = "no date where an eligible inspector is available and the facility may be visited"
REASON_TOO_FAR = ("too far: no eligible inspector can reach it, serve it inside a window and "
                  "return home within the day")
REASON_CAPACITY = "capacity exhausted: every feasible inspector-day is full"

# Minutes of travel a visit costs on average in an inspector's day, for capacity estimates only
# (the routing decides what really fits).
TRAVEL_PER_VISIT = 35
# Share of the nominal capacity that windows and travel leave usable in practice.
USABLE_SHARE = 0.85


class Instance:
    """Derived arrays of a problem: masks of skills, dates, availability; inspectors by region."""

    def __init__(self, problem: Problem):
        p = problem
        self.p = p
        self.date_index = {d: k for k, d in enumerate(p.dates)}
        skills = sorted({s for f in p.facilities for s in f.skills} | {s for i in p.inspectors for s in i.skills})
        bit = {s: 1 << k for k, s in enumerate(skills)}
        self.fac_skill = [sum(bit[s] for s in f.skills) for f in p.facilities]
        self.ins_skill = [sum(bit[s] for s in i.skills) for i in p.inspectors]
        nd = len(p.dates)
        self.fac_dates = np.zeros((len(p.facilities), nd), dtype=bool)
        for k, f in enumerate(p.facilities):
            self.fac_dates[k, [self.date_index[d] for d in f.dates]] = True
        self.ins_avail = np.ones((len(p.inspectors), nd), dtype=bool)
        for k, i in enumerate(p.inspectors):
            for d in i.unavailable_dates:
                self.ins_avail[k, self.date_index[d]] = False
        self.ins_index = {i.id: k for k, i in enumerate(p.inspectors)}
        # Filled by eligibility(): service + round trip minutes from the nearest usable home.
        self.lone_minutes: dict[int, int] = {}
        self.regions: dict[str | None, list[int]] = {}
        for k, i in enumerate(p.inspectors):
            self.regions.setdefault(i.region, []).append(k)

    def candidate_inspectors(self, f: int) -> list[int]:
        """Inspectors of the facility's region (all inspectors if it has none)."""
        region = self.p.facilities[f].region
        if region is None or not any(i.region is not None for i in self.p.inspectors):
            return list(range(len(self.p.inspectors)))
        return self.regions.get(region, []) + [k for k in self.regions.get(None, [])]

    def may_serve(self, f: int, k: int) -> bool:
        """Skills, region and conflicts of interest allow inspector k at facility f (dates aside)."""
        fac, ins = self.p.facilities[f], self.p.inspectors[k]
        return ((self.fac_skill[f] & ~self.ins_skill[k]) == 0 and ins.id not in fac.excluded_inspectors
                and (fac.region is None or ins.region is None or fac.region == ins.region))

    def per_day(self, k: int, service: float) -> int:
        """Visits an inspector-day holds for visits of `service` minutes: THE capacity estimate."""
        ins = self.p.inspectors[k]
        return min(ins.max_visits_per_day, max(1, int(ins.max_minutes_per_day // (service + TRAVEL_PER_VISIT))))

    def capacity(self, k: int, service: float, share: float = USABLE_SHARE) -> int:
        """Visits inspector k can be expected to make in the horizon (`share` of the nominal days x per_day)."""
        return int(int(self.ins_avail[k].sum()) * self.per_day(k, service) * share)


def eligibility(inst: Instance) -> tuple[list[np.ndarray], dict[int, str]]:
    """Usable inspectors per facility, or the reason none is usable (the first failing test)."""
    p = inst.p
    tr = p.travel
    usable: list[np.ndarray] = []
    reasons: dict[int, str] = {}
    ins_lat = np.array([i.lat for i in p.inspectors])
    ins_lon = np.array([i.lon for i in p.inspectors])
    ins_start = np.array([i.day_start for i in p.inspectors])
    ins_end = np.array([i.day_end for i in p.inspectors])
    ins_max = np.array([i.max_minutes_per_day for i in p.inspectors])
    ins_skill = np.array(inst.ins_skill, dtype=object)
    for f, fac in enumerate(p.facilities):
        cand = np.array(inst.candidate_inspectors(f), dtype=int)
        fmask = inst.fac_skill[f]
        has_skill = np.array([(fmask & ~int(m)) == 0 for m in ins_skill[cand]], dtype=bool) if len(cand) else \
            np.zeros(0, dtype=bool)
        if not has_skill.any():
            everywhere = any((fmask & ~m) == 0 for m in inst.ins_skill)
            if fac.region is not None and everywhere:
                reasons[f] = REASON_REGION.format(region=fac.region)
            else:
                reasons[f] = REASON_NO_SKILL.format(skills=", ".join(fac.skills))
            usable.append(np.zeros(0, dtype=int))
            continue
        cand = cand[has_skill]
        if all(w.end - w.start < fac.service_minutes for w in fac.windows):
            reasons[f] = REASON_WINDOW
            usable.append(np.zeros(0, dtype=int))
            continue
        excluded = {inst.ins_index[x] for x in fac.excluded_inspectors}
        cand = np.array([k for k in cand if k not in excluded], dtype=int)
        if not len(cand):
            reasons[f] = REASON_EXCLUDED
            usable.append(cand)
            continue
        common = (inst.ins_avail[cand] & inst.fac_dates[f][None, :]).any(axis=1)
        cand = cand[common]
        if not len(cand):
            reasons[f] = REASON_NO_DATE
            usable.append(cand)
            continue
        km = km_matrix(ins_lat[cand], ins_lon[cand], [fac.lat], [fac.lon])[:, 0]
        t = minutes_matrix(km, tr.speed_kmh, tr.road_factor)
        ok = np.zeros(len(cand), dtype=bool)
        # A lone visit must fit: out, wait for a window, serve, back, within the day limits.
        for w in fac.windows:
            s = np.maximum(w.start, ins_start[cand] + t)
            ok |= (s + fac.service_minutes <= w.end) & (s + fac.service_minutes + t <= ins_end[cand]) & \
                (2 * t + fac.service_minutes <= ins_max[cand])
        if not ok.any():
            reasons[f] = REASON_TOO_FAR
        else:
            inst.lone_minutes[f] = int(fac.service_minutes + 2 * t[ok].min())
        usable.append(cand[ok])
    return usable, reasons
