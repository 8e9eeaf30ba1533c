#!/usr/bin/env bash
# Wrap the .app in a compressed disk image with an Applications link (drag to install).
#   make_dmg.sh "dist/Depot GUI.app" VERSION OUT_DIR        (macOS: needs hdiutil)
set -euo pipefail
app=$1; version=$2; out=$(mkdir -p "$3" && cd "$3" && pwd)
stage=$(mktemp -d /tmp/depot-dmg.XXXXXX)
trap 'rm -rf "$stage"' EXIT
cp -R "$app" "$stage/"
ln -s /Applications "$stage/Applications"
dmg="$out/depot-gui-$version-macos.dmg"
rm -f "$dmg"
hdiutil create -volname "Depot GUI $version" -srcfolder "$stage" -fs HFS+ -format UDZO -ov "$dmg" >/dev/null
hdiutil verify "$dmg" >/dev/null
echo "$dmg"
