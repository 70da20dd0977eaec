"""The app on a read-only catalogue (served to a browser unless `--allow-edits`): which
actions would change the catalogue, so that they are neither shown nor run.

Each screen (or widget) declares the actions that write in `WRITE_ACTIONS`; the app refuses
them in one place (`WorkforceApp.run_action`, which every key, click and palette command goes
through), the screens leave them out of the key bar, and `?` marks them. SQLite opening the
file read-only (tui/background.py) is the line of defence behind this one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.actions import ActionParseResult, parse

from tui.screens.registry import READ_ONLY_HIDDEN

if TYPE_CHECKING:
    from textual.app import App
    from textual.dom import DOMNode

SAYS = "not on a read-only catalogue"


def write_actions(node: object) -> frozenset[str]:
    """The actions of `node` (a screen or widget of ours) that change the catalogue."""
    found: object = getattr(node, "WRITE_ACTIONS", None)
    return found if isinstance(found, frozenset) else frozenset()


def writes(node: object, action: str | ActionParseResult) -> bool:
    """Whether `action` (as bound: "accept", "go('import')") run on `node` changes the
    catalogue (opening the Import screen counts: it does nothing else)."""
    _, name, parameters = parse(action) if isinstance(action, str) else action
    if name == "go":
        return parameters[:1] == (READ_ONLY_HIDDEN,)
    return name in write_actions(node)


def refuses_writing(
    app: App[Any], action: str | ActionParseResult, default_namespace: DOMNode | None
) -> bool:
    """Whether running `action` would change the catalogue (so a read-only app refuses it)."""
    parsed = parse(action) if isinstance(action, str) else action
    namespace = parsed[0]
    target: object
    if namespace == "app" or (not namespace and default_namespace is None):
        target = app
    elif namespace == "screen":
        target = app.screen
    elif not namespace:
        target = default_namespace
    else:
        return False  # "focused" and the like: none of ours writes
    return writes(target, parsed)
