"""Date shuffle: each inspector's day-routes go to his dates by a seeded random perfect matching."""

from __future__ import annotations

import random

import numpy as np

from .eligibility import Instance


def _random_matching(adj: list[list[int]], order: list[int]) -> dict[int, int] | None:
    """Perfect matching routes -> dates by augmenting paths, in the (shuffled) given order."""
    match_date: dict[int, int] = {}

    def augment(r: int, seen: set) -> bool:
        """Find a free date for route r, displacing others along an augmenting path."""
        for d in adj[r]:
            if d in seen:
                continue
            seen.add(d)
            if d not in match_date or augment(match_date[d], seen):
                match_date[d] = r
                return True
        return False

    for r in order:
        if not augment(r, set()):
            return None
    return match_date


def shuffle_dates(inst: Instance, routes: dict, rng: random.Random) -> dict:
    """Randomly re-assign each inspector's day-routes to his dates, respecting facility dates.

    Days are interchangeable (windows do not depend on the weekday), so this costs no travel and
    makes dates unpredictable.
    """
    by_ins: dict[int, list[tuple[int, list[int]]]] = {}
    for (k, d), seq in sorted(routes.items()):
        by_ins.setdefault(k, []).append((d, seq))
    out = {}
    for k in sorted(by_ins):
        items = by_ins[k]
        avail = np.flatnonzero(inst.ins_avail[k])
        adj = []
        for _, seq in items:
            ok = inst.fac_dates[seq].all(axis=0)
            adj.append([int(d) for d in avail if ok[d]])
        order = list(range(len(items)))
        rng.shuffle(order)
        for a in adj:
            rng.shuffle(a)
        match_date = _random_matching(adj, order)
        if match_date is None:
            # Cannot happen (the solver's dates are a matching); keep his dates then.
            out.update({(k, d): seq for d, seq in items})
            continue
        for d, r in match_date.items():
            out[(k, d)] = items[r][1]
    return out
