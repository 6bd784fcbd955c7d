"""OR-Tools routing model of one area: vehicles are inspector-days, nodes are facilities.

Node 0..H-1 are the home bases of the area's inspectors, H.. the facilities. Each
``add_*`` function adds one family of constraints, in the spirit of OR-Tools'
``examples/python/shift_scheduling_sat.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ortools.constraint_solver import pywrapcp, routing_enums_pb2


@dataclass
class AreaTask:
    """Everything one area's routing model needs; plain data so it can be pickled."""

    key: int
    n_homes: int
    minutes: list[list[int]]          # travel minutes between nodes
    metres: list[list[int]]           # road metres between nodes (the cost)
    service: list[int]                # service minutes per node (0 at homes)
    windows: list[list[tuple[int, int]]]  # allowed START intervals per node
    vehicle_home: list[int]
    vehicle_day_start: list[int]
    vehicle_day_end: list[int]
    vehicle_max_visits: list[int]
    vehicle_max_minutes: list[int]
    allowed: list[list[int]]          # allowed vehicles per facility node (index - n_homes)
    penalty: list[int]                # price of skipping, per facility node (see priority.py)
    facility_ids: list[int]           # global facility index per facility node
    vehicle_ids: list[tuple[int, int]]  # (inspector index, date index) per vehicle
    starts: int                       # deterministic work budget: multi-start descents
    lns_iterations: int               # then this many ruin-and-recreate descents
    rng_seed: str                     # seeds the ruin choices (derived from the solve seed)
    deadline: float                   # absolute time.time() hard cap
    # Per vehicle, the row of `skill_price` it pays: per facility node, what a visit costs that leaves the
    # inspector's scarce skills idle (empty: no prices).
    vehicle_price_row: list[int] = field(default_factory=list)
    skill_price: list[list[int]] = field(default_factory=list)


def build_model(task: AreaTask) -> tuple[pywrapcp.RoutingIndexManager, pywrapcp.RoutingModel]:
    """Create the routing model with every constraint family of an area.

    Args:
        task: the area's data.
    Returns:
        (index manager, routing model) ready for ``SolveWithParameters``.
    """
    n = len(task.service)
    manager = pywrapcp.RoutingIndexManager(n, len(task.vehicle_home), task.vehicle_home, task.vehicle_home)
    routing = pywrapcp.RoutingModel(manager)
    add_travel_cost(routing, task)
    time_dim = add_time_windows(routing, manager, task)
    add_day_length(routing, time_dim, task)
    add_visit_capacity(routing, task)
    add_eligibility(routing, manager, task)
    add_visit_penalties(routing, manager, task)
    return manager, routing


def add_travel_cost(routing: pywrapcp.RoutingModel, task: AreaTask) -> int:
    """Make road metres the arc cost of every vehicle.

    Args:
        routing: the model.
        task: provides the metres matrix.
    Returns:
        the registered transit callback index.
    """
    # Travel is what the inspectorate pays for; minimise it.
    cb = routing.RegisterTransitMatrix(task.metres)
    routing.SetArcCostEvaluatorOfAllVehicles(cb)
    add_skill_prices(routing, task)
    return cb


def add_skill_prices(routing: pywrapcp.RoutingModel, task: AreaTask) -> None:
    """Price a visit that leaves the inspector's scarce skills idle (on the arc into it).

    Args:
        routing: the model.
        task: the price rows and which row each vehicle pays.
    Returns:
        None.
    """
    # Scarce skills are reserved for the visits that need them: an inspector who alone can make some visits
    # gets a fraction of a visit's worth less for one anyone could make, so among equals he takes the former.
    if not task.skill_price:
        return
    H = task.n_homes
    for row, prices in enumerate(task.skill_price):
        if not any(prices):
            continue
        add = [0] * H + list(prices)
        matrix = [[m + add[j] for j, m in enumerate(line)] for line in task.metres]
        cb = routing.RegisterTransitMatrix(matrix)
        for v, r in enumerate(task.vehicle_price_row):
            if r == row:
                routing.SetArcCostEvaluatorOfVehicle(cb, v)


def add_time_windows(routing: pywrapcp.RoutingModel, manager: pywrapcp.RoutingIndexManager,
                     task: AreaTask) -> pywrapcp.RoutingDimension:
    """Add the time dimension: service + travel between stops, opening windows, day bounds.

    Args:
        routing: the model.
        manager: its index manager.
        task: minutes, service times, windows, day start/end per vehicle.
    Returns:
        the "Time" dimension (cumul = start of service at a node, minutes after midnight).
    """
    transit = [[task.service[i] + task.minutes[i][j] for j in range(len(task.service))]
               for i in range(len(task.service))]
    cb = routing.RegisterTransitMatrix(transit)
    # Waiting is allowed (slack up to a whole day); cumuls live in one calendar day.
    routing.AddDimension(cb, 24 * 60, 24 * 60, False, "Time")
    dim = routing.GetDimensionOrDie("Time")
    # A visit must start inside one of the facility's start intervals (window minus service).
    for node in range(task.n_homes, len(task.service)):
        ws = task.windows[node]
        var = dim.CumulVar(manager.NodeToIndex(node))
        var.SetRange(ws[0][0], ws[-1][1])
        for (_, b), (c, _) in zip(ws, ws[1:]):
            if c - b > 1:
                var.RemoveInterval(b + 1, c - 1)
    # The inspector leaves home at or after day_start and is back by day_end.
    for v in range(len(task.vehicle_home)):
        dim.CumulVar(routing.Start(v)).SetRange(task.vehicle_day_start[v], task.vehicle_day_end[v])
        dim.CumulVar(routing.End(v)).SetRange(task.vehicle_day_start[v], task.vehicle_day_end[v])
    return dim


def add_day_length(routing: pywrapcp.RoutingModel, time_dim: pywrapcp.RoutingDimension,
                   task: AreaTask) -> None:
    """Bound each inspector-day from leaving home to coming back (waits included).

    Args:
        routing: the model.
        time_dim: the "Time" dimension.
        task: max_minutes_per_day per vehicle.
    Returns:
        None.
    """
    # max_minutes_per_day counts the whole absence from home, so bound the span.
    for v, limit in enumerate(task.vehicle_max_minutes):
        time_dim.SetSpanUpperBoundForVehicle(limit, v)
    # No span cost on purpose: with split windows it makes every move solve a MIP; the
    # final timing pass leaves home as late as possible instead.


def add_visit_capacity(routing: pywrapcp.RoutingModel, task: AreaTask) -> pywrapcp.RoutingDimension:
    """Limit the number of visits per inspector-day.

    Args:
        routing: the model.
        task: max_visits_per_day per vehicle.
    Returns:
        the "Visits" dimension.
    """
    # Each facility node consumes one visit, homes none.
    ones = [0] * task.n_homes + [1] * (len(task.service) - task.n_homes)
    cb = routing.RegisterUnaryTransitVector(ones)
    routing.AddDimensionWithVehicleCapacity(cb, 0, list(task.vehicle_max_visits), True, "Visits")
    return routing.GetDimensionOrDie("Visits")


def add_eligibility(routing: pywrapcp.RoutingModel, manager: pywrapcp.RoutingIndexManager,
                    task: AreaTask) -> None:
    """Restrict every facility to the inspector-days allowed to visit it.

    Args:
        routing: the model.
        manager: its index manager.
        task: allowed vehicles per facility (skills, exclusions, availability, facility dates).
    Returns:
        None.
    """
    # Skills, conflicts of interest, unavailable dates and facility dates all reduce to
    # "which inspector-days may serve this node".
    n_vehicles = len(task.vehicle_home)
    for k, vehicles in enumerate(task.allowed):
        if len(vehicles) < n_vehicles:
            # -1 keeps "not visited" possible; the disjunction prices it.
            routing.VehicleVar(manager.NodeToIndex(task.n_homes + k)).SetValues([-1] + list(vehicles))


def add_visit_penalties(routing: pywrapcp.RoutingModel, manager: pywrapcp.RoutingIndexManager,
                        task: AreaTask) -> None:
    """Let the solver skip a facility at a price (must-visit: prohibitive).

    Args:
        routing: the model.
        manager: its index manager.
        task: penalty per facility node.
    Returns:
        None.
    """
    # Disjunctions keep the model feasible when capacity runs out; the repair pass and
    # the unscheduled list deal with what is skipped.
    for k, penalty in enumerate(task.penalty):
        routing.AddDisjunction([manager.NodeToIndex(task.n_homes + k)], penalty)


# First-solution strategies tried in turn by the multi-start; each start ends in a local optimum.
STRATEGIES = ("LOCAL_CHEAPEST_INSERTION", "SAVINGS", "PARALLEL_CHEAPEST_INSERTION",
              "LOCAL_CHEAPEST_COST_INSERTION", "GLOBAL_CHEAPEST_ARC")


def search_parameters(strategy: str, seconds: float):
    """Deterministic search: one first solution, then greedy descent to a local optimum.

    Args:
        strategy: name of a FirstSolutionStrategy.
        seconds: wall-clock safety cap (only hit on an overloaded machine).
    Returns:
        RoutingSearchParameters.
    """
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = getattr(routing_enums_pb2.FirstSolutionStrategy, strategy)
    # Descent stops by itself at a local optimum: the work done never depends on the clock.
    params.local_search_metaheuristic = routing_enums_pb2.LocalSearchMetaheuristic.GREEDY_DESCENT
    params.time_limit.FromMilliseconds(max(100, int(seconds * 1000)))
    # LNS sub-searches have their own wall-clock limit; make it irrelevant.
    params.lns_time_limit.FromSeconds(60)
    params.log_search = False
    return params
