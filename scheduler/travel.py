"""The travel rule shared by the solver and the validator.

Minutes between two points are ``ceil(great-circle km * road_factor / speed_kmh * 60)``
with the great-circle distance on a sphere of mean radius 6371.009 km (geopy's
``great_circle``). Before the ceiling the value is rounded to 6 decimals, so that the
numpy matrix and the scalar geopy value (which may differ in the last bits) always give
the same whole minute.
"""

from __future__ import annotations

import math

import numpy as np
from geopy.distance import great_circle

EARTH_RADIUS_KM = 6371.009


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle kilometres between two points (geopy, mean Earth radius)."""
    return great_circle((lat1, lon1), (lat2, lon2), radius=EARTH_RADIUS_KM).km


def fast_great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """The same value as :func:`great_circle_km`, bit for bit (geopy's atan2 formula), without its objects.

    The solver asks for hundreds of thousands of legs; geopy's Point/Distance construction costs
    twenty times the arithmetic. Tests compare both on random points.
    """
    la1, lo1, la2, lo2 = math.radians(lat1), math.radians(lon1), math.radians(lat2), math.radians(lon2)
    sin1, cos1 = math.sin(la1), math.cos(la1)
    sin2, cos2 = math.sin(la2), math.cos(la2)
    dl = lo2 - lo1
    cdl, sdl = math.cos(dl), math.sin(dl)
    d = math.atan2(math.sqrt((cos2 * sdl) ** 2 + (cos1 * sin2 - sin1 * cos2 * cdl) ** 2),
                   sin1 * sin2 + cos1 * cos2 * cdl)
    return EARTH_RADIUS_KM * d


def minutes_from_km(km: float, speed_kmh: float, road_factor: float) -> int:
    """Whole travel minutes for a great-circle distance in km."""
    # Rounding first absorbs last-bit differences between numpy and geopy at exact minutes.
    return math.ceil(round(km * road_factor / speed_kmh * 60.0, 6))


def km_matrix(lat_a, lon_a, lat_b, lon_b) -> np.ndarray:
    """Great-circle km between every point of A (rows) and B (columns), geopy's formula."""
    la1 = np.radians(np.asarray(lat_a, dtype=float))[:, None]
    lo1 = np.radians(np.asarray(lon_a, dtype=float))[:, None]
    la2 = np.radians(np.asarray(lat_b, dtype=float))[None, :]
    lo2 = np.radians(np.asarray(lon_b, dtype=float))[None, :]
    sin1, cos1 = np.sin(la1), np.cos(la1)
    sin2, cos2 = np.sin(la2), np.cos(la2)
    dl = lo2 - lo1
    cdl, sdl = np.cos(dl), np.sin(dl)
    # Same atan2 form as geopy so both sides agree to the last few bits.
    d = np.arctan2(
        np.sqrt((cos2 * sdl) ** 2 + (cos1 * sin2 - sin1 * cos2 * cdl) ** 2),
        sin1 * sin2 + cos1 * cos2 * cdl,
    )
    return EARTH_RADIUS_KM * d


def minutes_matrix(km: np.ndarray, speed_kmh: float, road_factor: float) -> np.ndarray:
    """Whole travel minutes for a km matrix (same rounding as :func:`minutes_from_km`)."""
    return np.ceil(np.round(km * road_factor / speed_kmh * 60.0, 6)).astype(np.int64)
