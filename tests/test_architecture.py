"""The house: dependencies between the project's apps run one way, and the case is at the centre.

The import graph is built from the code itself (every `import` and `from ... import` anywhere in a
module, function-local imports included), so a new import that closes a cycle fails here, not in
a reviewer's head.
"""

import ast
from pathlib import Path

import pytest
from django.apps import apps

ROOT = Path(__file__).resolve().parent.parent


def project_apps() -> set[str]:
    return {
        config.name
        for config in apps.get_app_configs()
        if Path(config.path).resolve().parent == ROOT
    }


def imported_modules(tree: ast.AST) -> set[str]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module)
    return found


def import_graph(app_names: set[str]) -> dict[str, dict[str, list[str]]]:
    """{app: {imported app: [where]}}; migrations are generated and left out."""
    graph: dict[str, dict[str, list[str]]] = {name: {} for name in app_names}
    for app in app_names:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text(), filename=str(path))
            for module in imported_modules(tree):
                target = module.split(".")[0]
                if target in app_names and target != app:
                    graph[app].setdefault(target, []).append(str(path.relative_to(ROOT)))
    return graph


def find_cycle(graph: dict[str, dict[str, list[str]]]) -> list[str] | None:
    """A cycle as a list of apps (first == last), or None."""
    WHITE, GREY, BLACK = 0, 1, 2
    colour = dict.fromkeys(graph, WHITE)
    stack: list[str] = []

    def visit(node):
        colour[node] = GREY
        stack.append(node)
        for nxt in sorted(graph[node]):
            if colour[nxt] == GREY:
                return stack[stack.index(nxt) :] + [nxt]
            if colour[nxt] == WHITE:
                found = visit(nxt)
                if found:
                    return found
        stack.pop()
        colour[node] = BLACK
        return None

    for node in sorted(graph):
        if colour[node] == WHITE:
            found = visit(node)
            if found:
                return found
    return None


def test_the_graph_sees_function_local_imports():
    tree = ast.parse("def f():\n    from pip_plans.services import x\n    import intake.models\n")
    assert imported_modules(tree) == {"pip_plans.services", "intake.models"}


def test_the_cycle_finder_finds_a_cycle_and_accepts_a_tree():
    assert find_cycle({"a": {"b": []}, "b": {"c": []}, "c": {"a": []}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b": [], "c": []}, "b": {"c": []}, "c": {}}) is None


def test_no_cycle_between_the_apps():
    graph = import_graph(project_apps())
    cycle = find_cycle(graph)
    where = (
        [
            f"{a} -> {b}: {', '.join(graph[a][b][:3])}"
            for a, b in zip(cycle, cycle[1:], strict=False)
        ]
        if cycle
        else []
    )
    assert cycle is None, "import cycle between apps:\n" + "\n".join(where)


@pytest.mark.parametrize(
    "base", ["cases", "municipalities", "audit", "accounts", "api", "webhooks"]
)
def test_the_centre_imports_no_feature_app(base):
    """cases (and what it stands on) know no feature app by name."""
    features = {"intake", "pip_plans", "deadlines", "duo_import", "werksaam_bridge", "reporting"}
    graph = import_graph(project_apps())
    assert set(graph[base]) & features == set(), graph[base]


def test_the_case_lives_in_cases_and_intake_holds_only_the_intake():
    from cases.models import Inburgeraar

    assert Inburgeraar._meta.app_label == "cases"
    intake_models = {model.__name__ for model in apps.get_app_config("intake").get_models()}
    assert intake_models == {
        "IntakeTopic",
        "Intake",
        "Education",
        "WorkExperience",
        "DevelopmentPoint",
        "TopicNote",
        "Invitation",
    }
