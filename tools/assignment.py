"""The best assignment of rows to columns under the columns' capacities: as
many rows as possible get a column, and among those assignments the one of
the greatest total value.

It is the cohort proposal of sponsorship: every waiting request (a row) gets
one eligible sponsor (a column); a sponsor takes at most as many requests
as it has room for; the total value (nearness first) is the greatest over
the whole cohort, where taking the requests one after the other, each its
best sponsor, may leave a request without one or give a far sponsor where
a near one was possible.

It is solved as a minimum-cost maximum flow (source → row → column → one
edge per free slot of the column → sink) by successive shortest paths
(Dijkstra over reduced costs, with potentials). Plain Python, no record, no
``env``: values are integers, so the result is exact and the same on every
run (ties are broken by the order in which rows and columns are given).
"""

import heapq
from itertools import pairwise

INFINITY = float("inf")


class _Graph:
    """A flow network: edges in pairs (an edge and its reverse)."""

    def __init__(self, size):
        self.edges = [[] for _i in range(size)]
        # per edge: [head, capacity, cost, index of the reverse edge in head's list]

    def add(self, tail, head, capacity, cost):
        self.edges[tail].append([head, capacity, cost, len(self.edges[head])])
        self.edges[head].append([tail, 0, -cost, len(self.edges[tail]) - 1])


def best_assignment(values, capacities, slot_values=None):
    """The assignment of rows to columns that gives a column to as many rows
    as possible and, among those, has the greatest total value.

    :param values: ``{(row, column): value}`` — the pairs that may be
        assigned (any hashable row and column) and what each brings, an
        integer (higher is better); a pair that is not given is not allowed
    :param capacities: ``{column: slots}`` — how many rows a column takes at
        most; a column not given takes none
    :param slot_values: ``{column: [value of its 1st slot, 2nd, …]}`` —
        optionally, what using the k-th slot of a column brings besides the
        pair's value (e.g. a sponsor's availability, lower for each extra
        request); must not increase from one slot to the next
    :return: ``{row: column}`` for the rows that get a column
    """
    slot_values = slot_values or {}
    rows, columns = [], []
    seen_rows, seen_columns = set(), set()
    for row, column in values:
        if capacities.get(column, 0) <= 0:
            continue
        if row not in seen_rows:
            seen_rows.add(row)
            rows.append(row)
        if column not in seen_columns:
            seen_columns.add(column)
            columns.append(column)
    if not rows:
        return {}
    row_node = {row: 1 + index for index, row in enumerate(rows)}
    column_node = {column: 1 + len(rows) + index for index, column in enumerate(columns)}
    source, sink = 0, 1 + len(rows) + len(columns)
    graph = _Graph(sink + 1)
    for row in rows:
        graph.add(source, row_node[row], 1, 0)
    pairs = []  # (row, column, tail node, index of the edge in its list)
    for (row, column), value in values.items():
        if row in row_node and column in column_node:
            tail = row_node[row]
            pairs.append((row, column, tail, len(graph.edges[tail])))
            graph.add(tail, column_node[column], 1, -int(value))
    for column in columns:
        extra = list(slot_values.get(column, ()))
        if any(later > earlier for earlier, later in pairwise(extra)):
            raise ValueError(f"The values of the slots of {column!r} must not increase.")
        # never more slots than there are rows: the others cannot be used
        for slot in range(min(capacities[column], len(rows))):
            bonus = extra[slot] if slot < len(extra) else (extra[-1] if extra else 0)
            graph.add(column_node[column], sink, 1, -int(bonus))

    _min_cost_max_flow(graph, source, sink, _initial_potentials(graph, source, rows, columns))

    # the pairs whose edge carries the unit of flow of its row
    return {row: column for row, column, tail, index in pairs if graph.edges[tail][index][1] == 0}


def _initial_potentials(graph, source, rows, columns):
    """Shortest distances from the source before any flow: the network is
    layered (source, rows, columns, sink), so one pass per layer is enough
    even with negative costs."""
    size = len(graph.edges)
    distance = [INFINITY] * size
    distance[source] = 0
    layers = [
        [source],
        [1 + index for index in range(len(rows))],
        [1 + len(rows) + index for index in range(len(columns))],
    ]
    for layer in layers:
        for node in layer:
            if distance[node] == INFINITY:
                continue
            for head, capacity, cost, _reverse in graph.edges[node]:
                if capacity > 0 and distance[node] + cost < distance[head]:
                    distance[head] = distance[node] + cost
    return [0 if value == INFINITY else value for value in distance]


def _min_cost_max_flow(graph, source, sink, potential):
    """Push one unit at a time along the cheapest path (successive shortest
    paths): the flow is maximum and, for its value, of minimum cost."""
    size = len(graph.edges)
    while True:
        distance = [INFINITY] * size
        previous = [None] * size  # (node, index of the edge in node's list)
        distance[source] = 0
        heap = [(0, source)]
        while heap:
            dist, node = heapq.heappop(heap)
            if dist > distance[node]:
                continue
            for index, (head, capacity, cost, _reverse) in enumerate(graph.edges[node]):
                if capacity <= 0:
                    continue
                candidate = dist + cost + potential[node] - potential[head]
                if candidate < distance[head]:
                    distance[head] = candidate
                    previous[head] = (node, index)
                    heapq.heappush(heap, (candidate, head))
        if distance[sink] == INFINITY:
            return
        for node in range(size):
            if distance[node] < INFINITY:
                potential[node] += distance[node]
        # every edge of the graph has capacity 1 on the way: push one unit
        node = sink
        while node != source:
            tail, index = previous[node]
            edge = graph.edges[tail][index]
            edge[1] -= 1
            graph.edges[node][edge[3]][1] += 1
            node = tail
