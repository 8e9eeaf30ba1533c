#!/usr/bin/env bash
# Build the one-dir bundle, then smoke-test the frozen app before packaging it.
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/pip install -q pyinstaller
.venv/bin/pyinstaller --noconfirm --distpath build/dist --workpath build/work installer/depot-gui.spec
bundle=$(ls -d build/dist/depot-gui-*/ | head -1)
QT_QPA_PLATFORM=offscreen "$bundle/depot-gui" --demo --quit-after 3000
tar -C build/dist -czf "build/$(basename "$bundle").tar.gz" "$(basename "$bundle")"
echo "built build/$(basename "$bundle").tar.gz"
