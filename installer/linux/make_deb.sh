#!/usr/bin/env bash
# Package a frozen bundle as a .deb:  make_deb.sh BUNDLE_DIR ICONS_DIR VERSION OUT_DIR
#   /opt/depot-gui/                  the PyInstaller folder (depot-gui, depot-sync -> depot-gui, publisher.json)
#   /usr/bin/depot-gui, depot-sync   links into it
#   /usr/share/applications, metainfo, icons/hicolor (scalable + PNG sizes), doc
# Depends lists the packages of every system library the bundle links to (ldd + dpkg -S), so
# apt installs whatever Qt needs that the bundle leaves to the system.
set -euo pipefail
bundle=$(cd "$1" && pwd); icons=$(cd "$2" && pwd); version=$3; out=$(mkdir -p "$4" && cd "$4" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
app_id=com.depotgui.DepotGui
arch=$(dpkg --print-architecture)
# Debian orders "0.2.0~rc1" before "0.2.0"; PEP 440 writes "0.2.0rc1".
deb_version=$(printf '%s' "$version" | sed -E 's/^([0-9.]+)(a|b|rc|\.dev)([0-9]+)$/\1~\2\3/')
stage="$out/deb-stage"
rm -rf "$stage"
mkdir -p "$stage/DEBIAN" "$stage/opt" "$stage/usr/bin" "$stage/usr/share/applications" \
  "$stage/usr/share/metainfo" "$stage/usr/share/icons" "$stage/usr/share/doc/depot-gui"

cp -a "$bundle" "$stage/opt/depot-gui"
ln -s /opt/depot-gui/depot-gui "$stage/usr/bin/depot-gui"
ln -s /opt/depot-gui/depot-sync "$stage/usr/bin/depot-sync"
install -m 644 "$here/$app_id.desktop" "$stage/usr/share/applications/"
install -m 644 "$here/$app_id.metainfo.xml" "$stage/usr/share/metainfo/"
cp -r "$icons/hicolor" "$stage/usr/share/icons/"
cat > "$stage/usr/share/doc/depot-gui/copyright" <<EOF
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: depot-gui
Comment: Depot GUI $version. Bundles Python, Qt for Python (PySide6, LGPLv3), httpx2, keyring,
 platformdirs and their dependencies; see /opt/depot-gui/_internal/*.dist-info for their licences.

Files: *
Copyright: Depot GUI
License: proprietary
EOF
find "$stage" -type d -exec chmod 755 {} +
find "$stage/opt" -type f -exec chmod go-w,a+r {} +
find "$stage/usr/share" -type f -exec chmod 644 {} +

# System libraries the bundle links to, as packages (the bundle's own libraries are found first).
libpath="$stage/opt/depot-gui/_internal:$stage/opt/depot-gui/_internal/PySide6/Qt/lib"
mapfile -t elves < <(find "$stage/opt/depot-gui" -type f \( -name '*.so*' -o -name depot-gui \) -print)
missing=$(for f in "${elves[@]}"; do LD_LIBRARY_PATH=$libpath ldd "$f" 2>/dev/null | grep 'not found' || true; done | sort -u)
if [ -n "$missing" ]; then
  echo "make_deb: the bundle needs libraries this machine lacks:" >&2; echo "$missing" >&2; exit 1
fi
mapfile -t syslibs < <(for f in "${elves[@]}"; do LD_LIBRARY_PATH=$libpath ldd "$f" 2>/dev/null; done \
  | awk '$2 == "=>" && $3 ~ /^\// {print $3}' | grep -v "^$stage/" | sort -u)
packages=$(for lib in "${syslibs[@]}"; do
  real=$(readlink -f "$lib")
  for p in "$lib" "$real" "${lib#/usr}" "/usr$lib" "${real#/usr}" "/usr$real"; do
    if pkg=$(dpkg -S "$p" 2>/dev/null); then echo "${pkg%%:*}" | tr -d ' ' | cut -d, -f1; break; fi
  done
done | sed 's/:.*//' | sort -u)
[ -n "$packages" ] || { echo "make_deb: found no system libraries (dpkg -S failed?)" >&2; exit 1; }
libc_version=$(dpkg-query -W -f='${Version}' libc6 | cut -d- -f1)
depends=$(for p in $packages; do
  if [ "$p" = libc6 ]; then echo "libc6 (>= $libc_version)"; else echo "$p"; fi
done | paste -sd, - | sed 's/,/, /g')
# TLS: httpx2 verifies servers against the system's certificate store (no bundled certifi), which
# ca-certificates provides.
depends="$depends, ca-certificates"

cat > "$stage/DEBIAN/control" <<EOF
Package: depot-gui
Version: $deb_version
Architecture: $arch
Maintainer: Depot GUI <support@depotgui.invalid>
Installed-Size: $(du -sk --exclude=DEBIAN "$stage" | cut -f1)
Depends: $depends
Suggests: gnome-keyring | kwalletmanager
Section: misc
Priority: optional
Homepage: https://depotgui.invalid
Description: Move Autotask PSA invoices into Xero, totals checked
 Depot GUI moves invoices from Autotask PSA into Xero one at a time and refuses
 an invoice whose Xero total would not match Autotask, explaining why.
 Includes the depot-sync command line. Passwords and tokens are kept in the
 desktop's Secret Service keyring (GNOME Keyring, KWallet).
EOF

deb="$out/depot-gui_${deb_version}_${arch}.deb"
dpkg-deb --root-owner-group -Zgzip --build "$stage" "$deb" >/dev/null
rm -rf "$stage"
echo "$deb"
