"""Plug the real bundle service into the desk lazily: its modules load on first use, not at start-up."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from i18n import Translator
from ui.ports import LazyService


def desk_exchange(build_real: Callable[[], Any], translator: Translator) -> Any:
    """One ``DeskBundles`` (bundles and keys) built when first used (~80 ms of imports).

    ``build_real`` gives the composition root's ``BundleService`` (``services.exchange.bundles``).
    """

    def build() -> Any:
        from ui.bundle_adapter import DeskBundles

        return DeskBundles(build_real(), translator)

    return LazyService(build)
