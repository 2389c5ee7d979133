"""The composition root's exchange services, built on first use: bundles, keys and the inbox.

``repatriation.bootstrap.Services.exchange`` calls :func:`build_exchange` the first time a
command or page needs a bundle or a key; storage, crypto and the services are plugged together
here, never inside storage or a front end.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from repatriation.crypto.bundle_adapter import AgeBundles
from repatriation.crypto.key_adapter import PostKeyCrypto
from repatriation.domain.key_directory import AgencyKind
from repatriation.services.bundle_inbox import InboxService
from repatriation.services.bundle_keys import KeyService
from repatriation.services.bundles import BundleService

if TYPE_CHECKING:
    from repatriation.bootstrap import Services


@dataclass(frozen=True)
class Exchange:
    """What a liaison officer works with: bundles, the key directory, received changes."""

    bundles: BundleService
    keys: KeyService
    inbox: InboxService


def build_exchange(services: Services) -> Exchange:
    """The bundle, key and inbox services over the desk's database and attachment store."""
    settings = services.settings
    keys = KeyService(services.uow_factory, services.clock,
                      settings.data_dir, PostKeyCrypto(), own_kind=AgencyKind(settings.agency_kind))
    bundles = BundleService(services.uow_factory, services.clock, keys, crypto=AgeBundles(),
                            attachments=services.attachments, staging_parent=settings.data_dir,
                            checkpoints=services.checkpoints)
    return Exchange(bundles, keys, bundles.inbox)
