"""Path finding on a plain weighted, directed graph: no catalogue, no roles, only names and weights.

The career graph has cycles (a practice educator goes back to specialist practice, a nuclear
medicine practitioner back to general radiography), so every path here is simple: no node twice.
Paths are ordered by a total order, so the same graph always gives the same answer:

    (total weight, number of steps, the node names in order)

that is, the shortest first, then the one with fewer steps, then by node names. The k best paths
come from Yen's algorithm over a Dijkstra search that uses the same order, which keeps the work
polynomial however many simple paths the graph holds.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

Weight = int | float


@dataclass(frozen=True, slots=True)
class Path:
    """A simple path: its nodes in order and the sum of its edge weights."""

    nodes: tuple[str, ...]
    cost: Weight

    @property
    def steps(self) -> int:
        return len(self.nodes) - 1

    @property
    def edges(self) -> tuple[tuple[str, str], ...]:
        return tuple(zip(self.nodes, self.nodes[1:], strict=False))

    def key(self) -> tuple[Weight, int, tuple[str, ...]]:
        """The order paths are ranked in: time, then fewer steps, then node names."""
        return (self.cost, self.steps, self.nodes)


class Graph:
    """A directed graph with non-negative edge weights and at most one edge per ordered pair."""

    def __init__(self, nodes: Iterable[str], edges: Iterable[tuple[str, str, Weight]]) -> None:
        self._succ: dict[str, dict[str, Weight]] = {node: {} for node in nodes}
        for source, target, weight in edges:
            for node in (source, target):
                if node not in self._succ:
                    raise ValueError(f"edge {source} -> {target}: {node!r} is not a node")
            if weight < 0:
                raise ValueError(f"edge {source} -> {target} has a negative weight ({weight})")
            if target in self._succ[source]:
                raise ValueError(f"edge {source} -> {target} is given twice")
            if source == target:
                raise ValueError(f"edge {source} -> {target} leads nowhere")
            self._succ[source][target] = weight
        # Neighbours sorted once, so every search visits them in the same order.
        self._ordered: dict[str, tuple[tuple[str, Weight], ...]] = {
            node: tuple(sorted(targets.items())) for node, targets in self._succ.items()
        }

    @classmethod
    def from_mapping(cls, adjacency: Mapping[str, Mapping[str, Weight]]) -> Graph:
        """{node: {successor: weight}}; nodes named only as successors are added too."""
        nodes = set(adjacency) | {t for targets in adjacency.values() for t in targets}
        edges = [(s, t, w) for s, targets in adjacency.items() for t, w in targets.items()]
        return cls(sorted(nodes), edges)

    @property
    def nodes(self) -> tuple[str, ...]:
        return tuple(sorted(self._succ))

    def __contains__(self, node: object) -> bool:
        return node in self._succ

    def successors(self, node: str) -> tuple[tuple[str, Weight], ...]:
        """(successor, weight) pairs, by successor name."""
        return self._ordered[node]

    def weight(self, source: str, target: str) -> Weight:
        return self._succ[source][target]

    def path_cost(self, nodes: Iterable[str]) -> Weight:
        listed = list(nodes)
        return sum(self.weight(a, b) for a, b in zip(listed, listed[1:], strict=False))

    def _check(self, *nodes: str) -> None:
        for node in nodes:
            if node not in self._succ:
                raise KeyError(node)


def reachable_from(graph: Graph, source: str) -> set[str]:
    """Every node a path leads to from `source` (not `source` itself unless on a cycle)."""
    graph._check(source)
    seen: set[str] = set()
    stack = [source]
    while stack:
        for target, _ in graph.successors(stack.pop()):
            if target not in seen:
                seen.add(target)
                stack.append(target)
    return seen


def reaching(graph: Graph, target: str) -> set[str]:
    """Every node from which a path leads to `target` (not `target` itself unless on a cycle)."""
    graph._check(target)
    predecessors: dict[str, list[str]] = {node: [] for node in graph.nodes}
    for node in graph.nodes:
        for successor, _ in graph.successors(node):
            predecessors[successor].append(node)
    seen: set[str] = set()
    stack = [target]
    while stack:
        for source in predecessors[stack.pop()]:
            if source not in seen:
                seen.add(source)
                stack.append(source)
    return seen


def shortest_path(
    graph: Graph,
    source: str,
    target: str,
    *,
    banned_nodes: frozenset[str] = frozenset(),
    banned_edges: frozenset[tuple[str, str]] = frozenset(),
) -> Path | None:
    """The first path from `source` to `target` in the ranking order, or None if there is none.

    Dijkstra's search with whole paths as labels: the order (cost, steps, nodes) is kept by
    extending two paths to the same node by the same edge, so the first path settled at a node
    is the best one there, and the first to reach `target` is the best overall.
    """
    graph._check(source, target)
    if source in banned_nodes:
        return None
    frontier: list[tuple[Weight, int, tuple[str, ...]]] = [(0, 0, (source,))]
    settled: set[str] = set()
    while frontier:
        cost, steps, nodes = heapq.heappop(frontier)
        node = nodes[-1]
        if node in settled:
            continue
        settled.add(node)
        if node == target:
            return Path(nodes, cost)
        for successor, weight in graph.successors(node):
            if successor in settled or successor in banned_nodes:
                continue
            if (node, successor) in banned_edges:
                continue
            heapq.heappush(frontier, (cost + weight, steps + 1, (*nodes, successor)))
    return None


def k_shortest_paths(graph: Graph, source: str, target: str, k: int) -> list[Path]:
    """The `k` best simple paths from `source` to `target`, best first (Yen's algorithm).

    Fewer come back when the graph holds fewer; none when `target` cannot be reached. From a
    node to itself the one path is the empty one (no steps).
    """
    if k < 1:
        raise ValueError(f"k must be at least 1, not {k}")
    first = shortest_path(graph, source, target)
    if first is None:
        return []
    found = [first]
    candidates: list[tuple[tuple[Weight, int, tuple[str, ...]], Path]] = []
    queued: set[tuple[str, ...]] = {first.nodes}
    while len(found) < k:
        last = found[-1]
        # Each node of the last path found is a spur: keep the path up to it (the root), ban
        # the edges every found path with that root takes next, and find the best way on.
        for index in range(last.steps):
            root = last.nodes[: index + 1]
            spur = root[-1]
            banned_edges = frozenset(
                (path.nodes[index], path.nodes[index + 1])
                for path in found
                if path.nodes[: index + 1] == root and path.steps > index
            )
            onward = shortest_path(
                graph,
                spur,
                target,
                banned_nodes=frozenset(root[:-1]),
                banned_edges=banned_edges,
            )
            if onward is None:
                continue
            nodes = root[:-1] + onward.nodes
            if nodes in queued:
                continue
            queued.add(nodes)
            candidate = Path(nodes, graph.path_cost(nodes))
            heapq.heappush(candidates, (candidate.key(), candidate))
        if not candidates:
            break
        found.append(heapq.heappop(candidates)[1])
    return found
