"""The installer files, checked without building anything: desktop entry, AppStream metainfo,
NSIS script, release workflow, the icon containers, and the shell scripts' syntax.

The real validators (desktop-file-validate, appstreamcli, makensis) run in installer/build.sh.
"""

from __future__ import annotations

import configparser
import re
import struct
import subprocess
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from .conftest import REPO

INSTALLER = REPO / "installer"
APP_ID = "com.depotgui.DepotGui"
VERSION = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
NSI = (INSTALLER / "windows" / "depot-gui.nsi").read_text(encoding="utf-8")


def nsis_sections(text: str) -> dict[str, str]:
    """Section title -> body, for every Section ... SectionEnd block."""
    return {m.group(1): m.group(2) for m in re.finditer(r'^Section (?:/o )?"([^"]+)".*?\n(.*?)^SectionEnd', text, re.M | re.S)}


def test_desktop_entry():
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str
    entry.read(INSTALLER / "linux" / f"{APP_ID}.desktop", encoding="utf-8")
    d = entry["Desktop Entry"]
    assert (d["Type"], d["Name"], d["Exec"], d["TryExec"], d["Icon"], d["Terminal"]) == (
        "Application", "Depot GUI", "depot-gui", "depot-gui", APP_ID, "false")
    assert d["Categories"] == "Office;Finance;"


def test_metainfo_matches_the_desktop_entry_and_the_version():
    root = ET.parse(INSTALLER / "linux" / f"{APP_ID}.metainfo.xml").getroot()
    assert root.tag == "component" and root.get("type") == "desktop-application"
    assert root.findtext("id") == APP_ID
    assert root.find("launchable").text == f"{APP_ID}.desktop"
    assert [b.text for b in root.iter("binary")] == ["depot-gui", "depot-sync"]
    assert root.find("metadata_license").text == "CC0-1.0"
    newest = root.find("releases/release")
    assert newest.get("version") == VERSION, "add a <release> for the new version in the metainfo file"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", newest.get("date"))


def test_spec_and_scripts_use_the_same_app_id():
    assert f'APP_ID = "{APP_ID}"' in (INSTALLER / "depot-gui.spec").read_text(encoding="utf-8")
    assert f"app_id={APP_ID}\n" in (INSTALLER / "linux" / "make_deb.sh").read_text(encoding="utf-8")
    assert f"app_id={APP_ID}\n" in (INSTALLER / "linux" / "test_deb.sh").read_text(encoding="utf-8")
    assert f"APP_ID={APP_ID}\n" in (INSTALLER / "build.sh").read_text(encoding="utf-8")


def test_nsis_installs_per_user_with_a_start_menu_entry():
    assert re.search(r"^RequestExecutionLevel user$", NSI, re.M)
    assert re.search(r'^InstallDir "\$LOCALAPPDATA\\Programs\\\$\{APP\}"$', NSI, re.M)
    assert "HKLM" not in NSI and "$PROGRAMFILES" not in NSI  # nothing that needs an administrator
    app = nsis_sections(NSI)["Depot GUI"]
    assert 'CreateShortCut "$SMPROGRAMS\\${APP}.lnk" "$INSTDIR\\depot-gui.exe"' in app
    assert 'File /nonfatal "${BUNDLE}\\publisher.json"' in app
    assert 'WriteUninstaller "$INSTDIR\\uninstall.exe"' in app
    assert 'WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"' in app


def test_nsis_uninstaller_keeps_user_data_unless_asked():
    sections = nsis_sections(NSI)
    program = sections["un.Depot GUI program"]
    for line in ('Delete "$SMPROGRAMS\\${APP}.lnk"', 'RMDir /r "$INSTDIR\\_internal"', 'Delete "$INSTDIR\\publisher.json"',
                 'DeleteRegKey HKCU "${UNINSTALL_KEY}"'):
        assert line in program
    assert "DATA_DIR" not in program and "QSETTINGS_KEY" not in program
    data = 'Section /o "un.Remove my data (invoice records, settings, logs)"'
    assert data in NSI  # /o: not ticked unless the user (or /REMOVEDATA) asks
    assert [t for t, body in sections.items() if "DATA_DIR" in body] == ["un.Remove my data (invoice records, settings, logs)"]
    assert re.search(r'GetOptions\} \$R0 "/REMOVEDATA" \$R1\n\s*IfErrors \+2 0\n\s*SectionSetFlags \$\{UnSecData\} \$\{SF_SELECTED\}', NSI)


def test_nsis_data_locations_are_the_apps(monkeypatch):
    """The uninstaller removes exactly where the app keeps data on Windows (platformdirs, QSettings)."""
    import platformdirs
    import platformdirs.windows

    from depot_gui.app import APPLICATION, ORGANISATION
    from depot_gui.store.paths import default_data_dir

    monkeypatch.setattr(platformdirs.windows, "get_win_folder", lambda csidl: {"CSIDL_LOCAL_APPDATA": "LOCALAPPDATA"}[csidl])
    monkeypatch.setattr(platformdirs, "PlatformDirs", platformdirs.windows.Windows)
    assert default_data_dir() == Path("LOCALAPPDATA/depot-gui")
    assert '!define DATA_DIR "$LOCALAPPDATA\\depot-gui"' in NSI
    assert (ORGANISATION, APPLICATION) == ("Depot GUI", "Depot GUI")
    assert '!define QSETTINGS_KEY "Software\\Depot GUI\\Depot GUI"' in NSI


def test_nsis_blocks_are_balanced():
    lines = [ln.strip() for ln in NSI.splitlines()]
    for opener, closer in (("Section ", "SectionEnd"), ("Function ", "FunctionEnd"), ("!if", "!endif")):
        opened = sum(ln.startswith(opener) and not ln.startswith(closer) for ln in lines)
        assert opened == sum(ln == closer for ln in lines) > 0, opener


def test_release_workflow_builds_and_smoke_tests_all_three():
    wf = yaml.safe_load((REPO / ".github" / "workflows" / "release.yml").read_text(encoding="utf-8"))
    assert wf[True]["push"]["tags"] == ["v*"]  # YAML reads the key `on` as True
    matrix = {m["os"].split("-")[0]: m for m in wf["jobs"]["build"]["strategy"]["matrix"]["include"]}
    assert sorted(matrix) == ["macos", "ubuntu", "windows"]
    assert matrix["ubuntu"]["flags"] == "--deb --test --nsis"
    assert (matrix["windows"]["flags"], matrix["macos"]["flags"]) == ("--nsis", "--dmg")
    runs = [s.get("run", "") for s in wf["jobs"]["build"]["steps"]]
    assert "installer/build.sh ${{ matrix.flags }}" in runs
    assert wf["jobs"]["release"]["needs"] == "build"
    # build.sh's smoke test is the one the issue asks for: the demo, to the window's first paint.
    assert '"$1" --demo --quit-after 0 --screenshot' in (INSTALLER / "build.sh").read_text(encoding="utf-8")


@pytest.mark.parametrize("script", ["build.sh", "linux/make_deb.sh", "linux/test_deb.sh", "macos/make_dmg.sh"])
def test_shell_scripts_parse(script):
    assert subprocess.run(["bash", "-n", str(INSTALLER / script)], capture_output=True, text=True).stderr == ""


def test_icon_containers():
    from installer.make_icons import icns, ico

    data = ico({16: b"P16", 256: b"P256!"})
    assert data[:6] == struct.pack("<HHH", 0, 1, 2)
    # 16px entry: width 16, PNG of 3 bytes at offset 6 + 2*16 = 38; 256px entry: width byte 0, 5 bytes at 41.
    assert struct.unpack("<BBBBHHII", data[6:22]) == (16, 16, 0, 0, 1, 32, 3, 38)
    assert struct.unpack("<BBBBHHII", data[22:38]) == (0, 0, 0, 0, 1, 32, 5, 41)
    assert data[38:] == b"P16P256!"
    pngs = {s: bytes([s % 251]) for s in (16, 32, 64, 128, 256, 512, 1024)}
    mac = icns(pngs)
    assert mac[:8] == b"icns" + struct.pack(">I", len(mac))
    assert mac[8:17] == b"icp4" + struct.pack(">I", 9) + bytes([16])
    assert len(mac) == 8 + 11 * 9  # eleven PNG elements of one byte each


def test_make_icons_renders_every_size(tmp_path, qapp):
    from PySide6.QtGui import QImage, QImageReader

    from installer.make_icons import main

    main(tmp_path, "x.y.Z")
    for size in (16, 24, 32, 48, 64, 128, 256, 512):
        image = QImage(str(tmp_path / "hicolor" / f"{size}x{size}" / "apps" / "x.y.Z.png"))
        assert (image.width(), image.height()) == (size, size)
    assert (tmp_path / "hicolor" / "scalable" / "apps" / "x.y.Z.svg").read_bytes() == (REPO / "resources" / "icons" / "app.svg").read_bytes()
    assert QImageReader(str(tmp_path / "depot-gui.ico")).imageCount() == 6
    assert QImageReader(str(tmp_path / "depot-gui.icns")).imageCount() == 11
