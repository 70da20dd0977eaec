"""Path finding on hand-made graphs: cycles, loops, unreachable targets, ties, k best paths."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pathways.graph import Graph, Path, k_shortest_paths, reachable_from, reaching, shortest_path


def all_simple_paths(graph: Graph, source: str, target: str) -> list[Path]:
    """Every simple path by brute force (depth-first), ranked the way the module promises."""
    found: list[Path] = []

    def walk(nodes: tuple[str, ...]) -> None:
        if nodes[-1] == target:
            found.append(Path(nodes, graph.path_cost(nodes)))
            return
        for successor, _ in graph.successors(nodes[-1]):
            if successor not in nodes:
                walk((*nodes, successor))

    walk((source,))
    return sorted(found, key=lambda p: (p.cost, p.steps, p.nodes))


def test_a_chain_is_its_own_shortest_path() -> None:
    graph = Graph.from_mapping({"a": {"b": 2}, "b": {"c": 3}})
    (path,) = k_shortest_paths(graph, "a", "c", 5)
    assert path.nodes == ("a", "b", "c")
    assert path.cost == 5
    assert path.steps == 2
    assert path.edges == (("a", "b"), ("b", "c"))


def test_the_cheaper_way_round_comes_first() -> None:
    # a->b->d costs 1+1; a->c->d costs 5+0; a->d costs 10.
    graph = Graph.from_mapping({"a": {"b": 1, "c": 5, "d": 10}, "b": {"d": 1}, "c": {"d": 0}})
    paths = k_shortest_paths(graph, "a", "d", 5)
    assert [p.nodes for p in paths] == [("a", "b", "d"), ("a", "c", "d"), ("a", "d")]
    assert [p.cost for p in paths] == [2, 5, 10]


def test_lateral_loops_never_repeat_a_node() -> None:
    # a <-> b is a lateral loop; b <-> c too; the only simple ways to c are a-b-c and a-c.
    graph = Graph.from_mapping(
        {"a": {"b": 1, "c": 9}, "b": {"a": 0, "c": 1}, "c": {"b": 0, "a": 0}}
    )
    paths = k_shortest_paths(graph, "a", "c", 10)
    assert [p.nodes for p in paths] == [("a", "b", "c"), ("a", "c")]
    for path in paths:
        assert len(set(path.nodes)) == len(path.nodes)


def test_a_cycle_on_the_way_does_not_trap_the_search() -> None:
    # b -> c -> d -> b is a cycle; e is reached from d.
    graph = Graph.from_mapping({"a": {"b": 1}, "b": {"c": 1}, "c": {"d": 1}, "d": {"b": 1, "e": 1}})
    assert [p.nodes for p in k_shortest_paths(graph, "a", "e", 3)] == [("a", "b", "c", "d", "e")]


def test_an_unreachable_target_gives_no_paths() -> None:
    graph = Graph.from_mapping({"a": {"b": 1}, "b": {"a": 1}, "c": {"a": 1}})
    assert k_shortest_paths(graph, "a", "c", 3) == []
    assert shortest_path(graph, "a", "c") is None
    assert reachable_from(graph, "a") == {"a", "b"}  # a is on a cycle, so reaches itself
    assert reaching(graph, "c") == set()
    assert reaching(graph, "a") == {"a", "b", "c"}


def test_ties_in_time_go_to_fewer_steps_then_node_names() -> None:
    graph = Graph.from_mapping(
        {
            "s": {"z": 2, "b": 1, "a": 1, "t": 4},
            "a": {"t": 3},
            "b": {"t": 3},
            "z": {"t": 2},
            "m": {},
        }
    )
    paths = k_shortest_paths(graph, "s", "t", 10)
    # All four cost 4: the direct one (1 step) first, then the 2-step ones by node names.
    assert [p.nodes for p in paths] == [
        ("s", "t"),
        ("s", "a", "t"),
        ("s", "b", "t"),
        ("s", "z", "t"),
    ]
    assert {p.cost for p in paths} == {4}


def test_the_same_graph_built_in_another_order_gives_the_same_answer() -> None:
    edges = [("s", "a", 1), ("s", "b", 1), ("a", "t", 1), ("b", "t", 1), ("a", "b", 0)]
    forward = Graph(["s", "a", "b", "t"], edges)
    backward = Graph(["t", "b", "a", "s"], list(reversed(edges)))
    assert k_shortest_paths(forward, "s", "t", 5) == k_shortest_paths(backward, "s", "t", 5)


def test_max_is_honoured_and_the_first_k_are_the_best_k() -> None:
    # A ladder of diamonds: 2**3 = 8 simple paths from s to t.
    graph = Graph.from_mapping(
        {
            "s": {"a1": 1, "b1": 2},
            "a1": {"m1": 1},
            "b1": {"m1": 1},
            "m1": {"a2": 3, "b2": 1},
            "a2": {"m2": 1},
            "b2": {"m2": 1},
            "m2": {"a3": 1, "b3": 5},
            "a3": {"t": 1},
            "b3": {"t": 1},
        }
    )
    everything = all_simple_paths(graph, "s", "t")
    assert len(everything) == 8
    for k in (1, 2, 3, 8, 20):
        assert k_shortest_paths(graph, "s", "t", k) == everything[:k]


def test_from_a_node_to_itself_is_the_empty_path() -> None:
    graph = Graph.from_mapping({"a": {"b": 1}, "b": {"a": 1}})
    assert k_shortest_paths(graph, "a", "a", 3) == [Path(("a",), 0)]


def test_bad_graphs_and_questions_are_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        Graph(["a", "b"], [("a", "b", -1)])
    with pytest.raises(ValueError, match="not a node"):
        Graph(["a"], [("a", "b", 1)])
    with pytest.raises(ValueError, match="twice"):
        Graph(["a", "b"], [("a", "b", 1), ("a", "b", 2)])
    with pytest.raises(ValueError, match="k must be"):
        k_shortest_paths(Graph.from_mapping({"a": {"b": 1}}), "a", "b", 0)
    with pytest.raises(KeyError):
        k_shortest_paths(Graph.from_mapping({"a": {"b": 1}}), "a", "nowhere", 1)


def test_banned_nodes_and_edges_are_avoided() -> None:
    graph = Graph.from_mapping({"a": {"b": 1, "c": 2}, "b": {"d": 1}, "c": {"d": 1}})
    assert shortest_path(graph, "a", "d", banned_nodes=frozenset({"b"})) == Path(("a", "c", "d"), 3)
    assert shortest_path(graph, "a", "d", banned_edges=frozenset({("c", "d"), ("b", "d")})) is None


@st.composite
def small_graphs(draw: st.DrawFn) -> Graph:
    names = [f"n{i}" for i in range(draw(st.integers(2, 7)))]
    pairs = [(a, b) for a in names for b in names if a != b]
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=len(pairs)))
    weights = draw(st.lists(st.integers(0, 6), min_size=len(chosen), max_size=len(chosen)))
    return Graph(names, [(a, b, w) for (a, b), w in zip(chosen, weights, strict=True)])


@settings(max_examples=200, deadline=None)
@given(graph=small_graphs(), k=st.integers(1, 12))
def test_yen_agrees_with_brute_force_on_any_small_graph(graph: Graph, k: int) -> None:
    source, target = graph.nodes[0], graph.nodes[-1]
    expected = all_simple_paths(graph, source, target)[:k]
    found = k_shortest_paths(graph, source, target, k)
    assert found == expected
    for path in found:
        assert len(set(path.nodes)) == len(path.nodes)
        assert path.cost == graph.path_cost(path.nodes)
