"""Child of the exchange kill test: import or export one bundle when told "go", until killed.

Usage: ``kill_exchange_child.py DATA_DIR import|export BUNDLE OUT RECIPIENT REFS_FILE``.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from repatriation.bootstrap import build_services
from repatriation.config import Settings
from repatriation.services.bundles import ExportRequest
from tests.crypto.service_kit import OFFICER, PASSPHRASE


def main() -> None:
    data, mode, bundle, out, recipient, refs_file = sys.argv[1:7]
    services = build_services(Settings(data_dir=Path(data)))
    bundles = services.exchange.bundles
    keystore = bundles.keys.unlock(PASSPHRASE)
    print("ready", flush=True)
    sys.stdin.readline()
    if mode == "import":
        bundles.import_bundle(OFFICER, Path(bundle), keystore=keystore)
    else:
        refs = tuple(Path(refs_file).read_text(encoding="utf-8").split())
        bundles.export_bundle(OFFICER, ExportRequest(refs, (recipient,)), keystore=keystore,
                              out_path=Path(out))
    print("done", flush=True)


if __name__ == "__main__":
    main()
