#!/usr/bin/env bash
# The Debian/Ubuntu packages the suite, the forms and the installer need: one list for
# `make system-deps`, `.ci/run` and the README. `--check` only reports what is missing.
set -euo pipefail

packages=(
  postgresql            # the storage suite runs on a throwaway PostgreSQL server too
  age                   # interoperability tests of bundles with the age CLI; bundle benchmarks
  poppler-utils         # pdftotext / pdftoppm for the form tests
  zbar-tools            # decodes the QR code printed on every form
  fonts-noto-cjk        # Han names beyond GB2312 on the forms
  nsis binutils         # the Windows installer script compiles; strip for make package-test
  libegl1 libgl1 libfontconfig1 libxkbcommon0 libdbus-1-3   # Qt offscreen platform
  libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxkbcommon-x11-0   # Qt xcb (screenshots)
  make
)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if [ "${1:-}" = "--check" ]; then
  if [ ${#missing[@]} -gt 0 ]; then
    echo "Missing system packages (their tests will be skipped): ${missing[*]}" >&2
    echo "Install them with: sudo make system-deps" >&2
  fi
  exit 0
fi

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
sudo=""
if [ "$(id -u)" != 0 ]; then
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
for attempt in 1 2 3; do
  if $sudo apt-get update -qq && $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; then
    exit 0
  fi
  echo "apt attempt $attempt failed; retrying" >&2
  sleep 5
done
exit 1
