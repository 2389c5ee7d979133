"""Plug the real bundle service into the desk lazily: its modules load on first use, not at start-up."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from i18n import Translator
from ui.ports import BUNDLES, KEYS, LazyService


def install_bundles(services: Any, build_real: Callable[[Any], Any], translator: Translator) -> None:
    """Register one ``DeskBundles`` (bundles and keys) built when first used (~80 ms of imports)."""

    def build() -> Any:
        from ui.bundle_adapter import DeskBundles

        return DeskBundles(build_real(services), translator)

    desk = LazyService(build)
    services.extras[BUNDLES] = desk
    services.extras[KEYS] = desk
