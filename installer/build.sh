#!/usr/bin/env bash
# Build Depot GUI's installers; see installer/README.md.
#
#   installer/build.sh [--deb] [--test] [--nsis] [--dmg] [--xero-client-id ID]
#
# Always: a build venv (build/venv: the app + PyInstaller, never the project's .venv), icons,
# the frozen one-folder bundle (installer/depot-gui.spec), and a smoke test of it (both
# --version, and --demo offscreen to the window's first paint). Then, per platform:
#   Linux    build/depot-gui-VERSION-linux-ARCH.tar.gz; --deb adds the .deb; --test installs the
#            .deb with apt, runs it, removes it and checks nothing is left (root or sudo), then
#            times the frozen app's start against the pip-installed one (bench/bench_startup.py)
#   Windows  --nsis: build/depot-gui-VERSION-setup.exe (makensis, from NSIS)
#   macOS    the .app (in build/dist); --dmg: build/depot-gui-VERSION-macos.dmg
# --nsis on Linux compiles the NSIS script against a stand-in payload: proof that it is
# well-formed (the real payload only exists on Windows).
# The Xero client id comes from --xero-client-id or DEPOT_XERO_CLIENT_ID; it is written to
# publisher.json next to the executables.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
DEB=0 TEST=0 NSIS=0 DMG=0
while [ $# -gt 0 ]; do
  case $1 in
    --deb) DEB=1 ;;
    --test) TEST=1 DEB=1 ;;
    --nsis) NSIS=1 ;;
    --dmg) DMG=1 ;;
    --xero-client-id) export DEPOT_XERO_CLIENT_ID=$2; shift ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    *) echo "build.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

case "$(uname -s)" in
  Linux) OS=linux ;; Darwin) OS=macos ;; MINGW*|MSYS*|CYGWIN*) OS=windows ;; *) OS=unknown ;;
esac
T0=$SECONDS
step() { printf '[%4ss] %s\n' "$((SECONDS - T0))" "$*"; }
VERSION=$(sed -n 's/^version = "\(.*\)"/\1/p' pyproject.toml | head -1)
APP_ID=com.depotgui.DepotGui
step "Depot GUI $VERSION on $OS"

# 1. Build venv: the app as users get it (pip install .) plus PyInstaller, nothing from [test].
PY=${PYTHON:-$(command -v python3 || command -v python)}
if [ "$OS" = windows ]; then VBIN=build/venv/Scripts; EXE=.exe; else VBIN=build/venv/bin; EXE=; fi
[ -x "$VBIN/python$EXE" ] || "$PY" -m venv build/venv
"$VBIN/python$EXE" -m pip install -q --upgrade . "pyinstaller>=6.10,<7"
step "build venv ready ($("$VBIN/python$EXE" -m PyInstaller --version | head -1) PyInstaller)"

# 2. Icons (hicolor PNG sizes + SVG, .ico, .icns) rendered from resources/icons/app.svg.
QT_QPA_PLATFORM=offscreen "$VBIN/python$EXE" installer/make_icons.py build/icons "$APP_ID"
export DEPOT_ICONS="$ROOT/build/icons"

# 3. Freeze.
[ -n "${DEPOT_XERO_CLIENT_ID:-}" ] || echo "note: no Xero client id given; this build asks each user for one"
rm -rf build/dist
"$VBIN/python$EXE" -m PyInstaller --noconfirm --log-level WARN --distpath build/dist --workpath build/work \
  installer/depot-gui.spec
BUNDLE=build/dist/depot-gui-$VERSION
step "bundle $BUNDLE: $(du -sm "$BUNDLE" | cut -f1) MB unpacked ($(du -sb "$BUNDLE" 2>/dev/null | cut -f1 || echo '?') bytes)"

# 4. Smoke test the frozen programs (Windows' windowed depot-gui.exe has no console for --version).
[ "$("$BUNDLE/depot-sync$EXE" --version | tr -d '\r')" = "depot-sync $VERSION" ] || { echo "depot-sync --version is wrong" >&2; exit 1; }
if [ "$OS" != windows ]; then
  [ "$("$BUNDLE/depot-gui" --version)" = "depot-gui $VERSION" ] || { echo "depot-gui --version is wrong" >&2; exit 1; }
fi
smoke() {  # program: run the demo offscreen until its first paint, in a throwaway HOME
  local home; home=$(mktemp -d)
  HOME=$home QT_QPA_PLATFORM=offscreen PYTHON_KEYRING_BACKEND=keyring.backends.null.Keyring \
    "$1" --demo --quit-after 0 --screenshot "$ROOT/build/first-paint-$OS.png"
  local rc=$?; rm -rf "$home"; return $rc
}
smoke "$BUNDLE/depot-gui$EXE" || { echo "the frozen depot-gui did not reach a first paint" >&2; exit 1; }
[ -s "build/first-paint-$OS.png" ] || { echo "no first-paint screenshot" >&2; exit 1; }
if [ -n "${DEPOT_XERO_CLIENT_ID:-}" ]; then
  grep -q "\"xero_client_id\": \"$DEPOT_XERO_CLIENT_ID\"" "$BUNDLE/publisher.json" || { echo "publisher.json lacks the client id" >&2; exit 1; }
fi
step "frozen app smoke test passed (build/first-paint-$OS.png)"

# 5. Per-platform packages.
if [ "$OS" = linux ]; then
  ARCH=$(uname -m)
  tar -C build/dist -czf "build/depot-gui-$VERSION-linux-$ARCH.tar.gz" "depot-gui-$VERSION"
  step "build/depot-gui-$VERSION-linux-$ARCH.tar.gz ($(du -m "build/depot-gui-$VERSION-linux-$ARCH.tar.gz" | cut -f1) MB)"
  for tool in desktop-file-validate appstreamcli; do
    command -v $tool >/dev/null || { echo "$tool is missing (apt-get install desktop-file-utils appstream)" >&2; exit 1; }
  done
  desktop-file-validate "installer/linux/$APP_ID.desktop"
  appstreamcli validate --no-net "installer/linux/$APP_ID.metainfo.xml" >/dev/null
  step "desktop entry and metainfo valid"
fi
if [ "$DEB" = 1 ]; then
  [ "$OS" = linux ] || { echo "--deb needs Linux" >&2; exit 2; }
  deb=$(installer/linux/make_deb.sh "$BUNDLE" build/icons "$VERSION" build)
  step "$deb ($(du -m "$deb" | cut -f1) MB)"
fi
if [ "$TEST" = 1 ]; then
  SUDO=; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO installer/linux/test_deb.sh "$deb" "$VERSION" "$ROOT/build/first-paint-installed.png"
  step "installed package tested and removed"
  # Same run, same machine: the frozen bundle against the pip-installed package in build/venv.
  "$VBIN/python" bench/bench_startup.py "$BUNDLE/depot-gui" "$VBIN/depot-gui" --runs 3
  step "start-up measured"
fi
if [ "$NSIS" = 1 ]; then
  command -v makensis >/dev/null || { echo "makensis is missing (apt-get install nsis / choco install nsis)" >&2; exit 1; }
  vi_version=$(printf '%s' "$VERSION" | grep -oE '[0-9]+' | head -3 | paste -sd. -).0
  if [ "$OS" = windows ]; then payload=$BUNDLE; out=build/depot-gui-$VERSION-setup.exe
  else  # stand-in payload: the script's structure is what is being checked
    payload=build/nsis-check/depot-gui-$VERSION; out=build/nsis-check/depot-gui-$VERSION-setup.exe
    rm -rf build/nsis-check; mkdir -p "$payload/_internal"
    printf 'stand-in\n' | tee "$payload/depot-gui.exe" "$payload/depot-sync.exe" "$payload/_internal/base_library.zip" >/dev/null
    cp "$BUNDLE/publisher.json" "$payload/" 2>/dev/null || true
  fi
  # makensis resolves relative paths against the script's folder: pass absolute ones.
  abs() { (cd "$(dirname "$1")" && printf '%s/%s' "$(pwd -W 2>/dev/null || pwd)" "$(basename "$1")"); }
  makensis -V2 -WX "-DVERSION=$VERSION" "-DVI_VERSION=$vi_version" "-DBUNDLE=$(abs "$payload")" \
    "-DICON=$(abs build/icons/depot-gui.ico)" "-DOUTFILE=$(abs "$out")" installer/windows/depot-gui.nsi
  step "$out ($(du -k "$out" | cut -f1) KB)"
fi
if [ "$OS" = macos ]; then
  APP="build/dist/Depot GUI.app"
  [ "$(/usr/libexec/PlistBuddy -c 'Print :CFBundleShortVersionString' "$APP/Contents/Info.plist")" = "$VERSION" ] \
    || { echo "Info.plist does not carry version $VERSION" >&2; exit 1; }
  smoke "$APP/Contents/MacOS/depot-gui" || { echo "the .app did not reach a first paint" >&2; exit 1; }
  step "$APP smoke test passed"
  if [ "$DMG" = 1 ]; then
    dmg=$(installer/macos/make_dmg.sh "$APP" "$VERSION" build)
    step "$dmg ($(du -m "$dmg" | cut -f1) MB)"
  fi
fi
step "done"
