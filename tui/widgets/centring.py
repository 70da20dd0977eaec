"""Keeping a row or rung the app chose for the user in view while a widget gets its size.

A deep link puts the cursor on something the user has not seen yet; where it ends on screen
depended on when the widget was scrolled (its final size comes over several refreshes), so a
widget re-centres it on each resize (`centre_again`) until the user acts on it themselves.
"""

from __future__ import annotations


class CentredUntilUserMoves:
    """Mixin for a scrolling widget: `_centring` is on until a key, click or wheel of the
    user's, after which the view stays where they take it."""

    _centring = False

    def centre_again(self) -> None:
        """Scroll the chosen item to the middle again (the widget says how)."""

    def on_key(self) -> None:
        self._centring = False

    def on_click(self) -> None:
        self._centring = False

    def on_mouse_scroll_down(self) -> None:
        self._centring = False

    def on_mouse_scroll_up(self) -> None:
        self._centring = False
