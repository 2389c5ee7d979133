"""Before a printout: open the post's key store once, so the printout's QR code is signed.

A counterpart official checks a paper copy with nothing but the post's key card
(``main.py forms verify``); that needs the post's signature in the QR code, and the key that makes
it sits in the key store the liaison officer opens for bundles. The desk asks for its passphrase
once per session before the first printout; an officer without it prints unsigned (the QR code
then still carries the content hashes and the audit checkpoint, and verification says unsigned).
"""

from __future__ import annotations

from collections.abc import Callable

from ui.context import AppContext


def signing_unlock(ctx: AppContext) -> Callable[[], None]:
    """What a print task runs first: open the key store (slow KDF, in the task) or nothing.

    Asks for the passphrase here, on the GUI thread, when the post has a key store that is not
    open yet. Cancel prints without a signature.
    """
    bundles = ctx.bundles
    needs = getattr(bundles, "signing_needs_passphrase", None)
    if bundles is None or needs is None or not needs():
        return lambda: None
    _ = ctx.translator.gettext
    secret = ctx.prompter.ask_secret(
        _("Sign the printout"),
        _("Passphrase of this post's key store, to sign the printout's QR code "
          "(Cancel prints without a signature):"),
    )
    if secret is None:
        return lambda: None
    return lambda: bundles.unlock(secret)
