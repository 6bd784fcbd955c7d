"""Risk-weighted lottery for optional ("memoryless extra") visits."""

from __future__ import annotations

import random
from collections.abc import Sequence


def inclusion_probabilities(weights: Sequence[float], expected_count: float) -> list[float]:
    """Per-item probabilities proportional to weight, capped at 1, summing to expected_count."""
    n = len(weights)
    target = max(0.0, min(float(expected_count), float(n)))
    probs = [0.0] * n
    free = [k for k in range(n) if weights[k] > 0]
    # Water-filling: items whose share would exceed 1 are certain; re-share the rest.
    while free and target > 1e-12:
        total = sum(weights[k] for k in free)
        scale = target / total
        capped = [k for k in free if weights[k] * scale >= 1.0]
        if not capped:
            for k in free:
                probs[k] = weights[k] * scale
            break
        for k in capped:
            probs[k] = 1.0
        target -= len(capped)
        free = [k for k in free if probs[k] < 1.0]
    return probs


def draw_optional(facilities: Sequence, rng: random.Random, expected_count: float) -> list:
    """Draw optional facilities for extra unannounced visits.

    Each facility is included independently with probability proportional to its
    ``weight`` (capped at 1) so that ``expected_count`` are drawn on average. The draw
    is memoryless: being drawn (or not) last horizon changes nothing this horizon, and a
    low-weight facility always keeps a non-zero chance.
    """
    probs = inclusion_probabilities([f.weight for f in facilities], expected_count)
    return [f for f, p in zip(facilities, probs) if rng.random() < p]
