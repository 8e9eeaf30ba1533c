#!/usr/bin/env bash
# Install a built .deb with apt, run what it installed, remove it, and check what is left.
#   test_deb.sh DEB VERSION [SHOT.png]           (root; Debian/Ubuntu)
# Passes when: the validators accept the installed .desktop and metainfo files; the icons are
# in hicolor; `depot-gui --version`/`depot-sync --version` print VERSION; the installed
# `depot-gui --demo` paints its window offscreen; `depot-sync` works on the user's data dir;
# after `apt-get remove` none of the package's files or folders remain, nothing was written
# into the program folder, and the test user's home holds only the app's data dir (plus the
# window-layout file Qt keeps and fontconfig's cache).
set -euo pipefail
deb=$(readlink -f "$1"); version=$2; shot=${3:-$(dirname "$deb")/first-paint.png}
app_id=com.depotgui.DepotGui
apt_opts=(-y -qq -o DPkg::Lock::Timeout=300)
export DEBIAN_FRONTEND=noninteractive
step() { printf '%s  %s\n' "$(date +%T)" "$*"; }
fail() { echo "FAIL: $*" >&2; exit 1; }

if dpkg -s depot-gui >/dev/null 2>&1; then fail "depot-gui is already installed; remove it first"; fi
work=$(mktemp -d /tmp/depot-deb-test.XXXXXX)
trap 'rm -rf "$work"; dpkg -s depot-gui >/dev/null 2>&1 && apt-get remove "${apt_opts[@]}" depot-gui >/dev/null 2>&1 || true' EXIT
home="$work/home"; tmp="$work/tmp"; mkdir -p "$home" "$tmp"

# The package's paths that exist before it is installed (/, /opt, /usr/bin...) may stay after.
dpkg-deb --fsys-tarfile "$deb" | tar -t | sed -e 's|^\./|/|' -e 's|/$||' -e 's|^$|/|' | sort -u >"$work/paths"
existing() { while read -r f; do if [ -e "$f" ] || [ -L "$f" ]; then echo "$f"; fi; done; }
existing <"$work/paths" >"$work/before"

step "apt-get install $deb"
apt-get install "${apt_opts[@]}" --no-install-recommends "$deb" >"$work/apt-install.log" 2>&1 \
  || { cat "$work/apt-install.log" >&2; fail "apt-get install"; }
dpkg -L depot-gui | sort >"$work/files"
[ "$(dpkg-query -W -f='${Version}' depot-gui)" = "$(printf '%s' "$version" | sed -E 's/^([0-9.]+)(a|b|rc|\.dev)([0-9]+)$/\1~\2\3/')" ] \
  || fail "package version is not $version"

step "validate the installed desktop entry, metainfo and icons"
desktop-file-validate "/usr/share/applications/$app_id.desktop"
appstreamcli validate --no-net "/usr/share/metainfo/$app_id.metainfo.xml" >/dev/null
for size in 16x16 24x24 32x32 48x48 64x64 128x128 256x256 512x512; do
  [ -s "/usr/share/icons/hicolor/$size/apps/$app_id.png" ] || fail "no $size icon"
done
[ -s "/usr/share/icons/hicolor/scalable/apps/$app_id.svg" ] || fail "no scalable icon"

step "run the installed programs as a fresh user (HOME=$home)"
as_user=(env -i PATH=/usr/bin:/bin HOME="$home" TMPDIR="$tmp" LANG=C.UTF-8 QT_QPA_PLATFORM=offscreen
         PYTHON_KEYRING_BACKEND=keyring.backends.null.Keyring)
[ "$("${as_user[@]}" depot-gui --version)" = "depot-gui $version" ] || fail "depot-gui --version"
[ "$("${as_user[@]}" depot-sync --version)" = "depot-sync $version" ] || fail "depot-sync --version"
rm -f "$shot"
start=$(date +%s.%N)
"${as_user[@]}" timeout 120 depot-gui --demo --quit-after 0 --screenshot "$shot" 2>"$work/gui.err" \
  || { cat "$work/gui.err" >&2; fail "depot-gui --demo did not reach a first paint (rc $?)"; }
awk -v s="$start" -v e="$(date +%s.%N)" -v m="$(grep -o 'first paint.*' "$work/gui.err")" \
  'BEGIN { printf "           first paint and exit in %.2f s; %s\n", e - s, m }'
[ -s "$shot" ] || fail "no screenshot of the first paint"
scenario=/opt/depot-gui/_internal/depot_gui/sandbox/scenarios/demo.json
"${as_user[@]}" depot-sync --sandbox "$scenario" audit >"$work/audit.txt" 2>&1 || true
grep -q '^INV-5001  *ready' "$work/audit.txt" || { cat "$work/audit.txt" >&2; fail "depot-sync audit on the demo"; }
[ -s "$home/.local/share/depot-gui/depot.sqlite3" ] || fail "depot-sync did not use the user's data dir"
head -1 "$home/.local/share/depot-gui/logs/depot.log" | grep -q "Depot GUI $version started (installed bundle" \
  || fail "the log's first line does not name version $version"

if [ -f /opt/depot-gui/publisher.json ]; then  # the build's Xero client id reaches the sign-in
  client_id=$(sed -n 's/.*"xero_client_id": *"\([^"]*\)".*/\1/p' /opt/depot-gui/publisher.json)
  "${as_user[@]}" BROWSER=true timeout -s INT 10 depot-sync connect xero --port 0 >"$work/connect.txt" 2>&1 || true
  grep -q "client_id=$client_id&" "$work/connect.txt" || { cat "$work/connect.txt" >&2; fail "sign-in does not use publisher.json"; }
  echo "           depot-sync connect xero uses the client id from /opt/depot-gui/publisher.json"
fi

step "nothing written into the program folder"
find /opt/depot-gui /usr/share/applications/$app_id.desktop /usr/share/metainfo/$app_id.metainfo.xml \
  /usr/share/icons/hicolor/*/apps/$app_id.* /usr/bin/depot-gui /usr/bin/depot-sync | sort >"$work/present"
extra=$(comm -13 "$work/files" "$work/present")
[ -z "$extra" ] || fail "files the package does not own: $extra"

step "apt-get remove depot-gui"
apt-get remove "${apt_opts[@]}" depot-gui >"$work/apt-remove.log" 2>&1 || { cat "$work/apt-remove.log" >&2; fail "apt-get remove"; }
left=$(existing <"$work/paths" | comm -23 - "$work/before")
[ -z "$left" ] || fail "left behind after removal: $left"
[ -z "$(ls -A "$tmp")" ] || fail "left in TMPDIR: $(ls -A "$tmp")"
outside=$(cd "$home" && find . -type f | grep -v -E '^\./\.local/share/depot-gui/|^\./\.config/Depot GUI/|^\./\.cache/fontconfig/' || true)
[ -z "$outside" ] || fail "written outside the user's data dir: $outside"
step "ok: user data kept in $(cd "$home" && find . -type f | sed 's|^\./||' | paste -sd' ' -)"
