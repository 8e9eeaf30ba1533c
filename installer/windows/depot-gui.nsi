; Depot GUI for Windows: per-user install (no administrator rights), Start-menu entry, and an
; uninstaller that keeps the user's invoices database, settings and logs unless asked to remove
; them ("Remove my data" in the uninstaller, or /REMOVEDATA with a silent /S uninstall).
;
; makensis /DVERSION=0.1.0 /DBUNDLE=build\dist\depot-gui-0.1.0 [/DICON=build\icons\depot-gui.ico]
;          [/DOUTFILE=build\depot-gui-0.1.0-setup.exe] installer\windows\depot-gui.nsi
; BUNDLE is the PyInstaller folder (depot-gui.exe, depot-sync.exe, _internal\, publisher.json).

Unicode true
!ifndef VERSION
  !error "Pass the version from pyproject.toml: /DVERSION=x.y.z"
!endif
!ifndef BUNDLE
  !error "Pass the PyInstaller folder: /DBUNDLE=path\to\depot-gui-x.y.z"
!endif
!ifndef VI_VERSION  ; four numbers for the version resource (build.sh passes them for x.y.zrcN)
  !define VI_VERSION "${VERSION}.0"
!endif
!ifndef OUTFILE
  !define OUTFILE "depot-gui-${VERSION}-setup.exe"
!endif

!define APP "Depot GUI"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\DepotGUI"
; Where the app keeps its data: platformdirs.user_data_dir("depot-gui", appauthor=False) and
; QSettings("Depot GUI", "Depot GUI") (window layout) in the registry.
!define DATA_DIR "$LOCALAPPDATA\depot-gui"
!define QSETTINGS_KEY "Software\Depot GUI\Depot GUI"

Name "${APP} ${VERSION}"
OutFile "${OUTFILE}"
RequestExecutionLevel user
InstallDir "$LOCALAPPDATA\Programs\${APP}"
InstallDirRegKey HKCU "${UNINSTALL_KEY}" "InstallLocation"
SetCompressor /SOLID lzma
VIProductVersion "${VI_VERSION}"
VIAddVersionKey "ProductName" "${APP}"
VIAddVersionKey "ProductVersion" "${VERSION}"
VIAddVersionKey "FileDescription" "${APP} ${VERSION} setup"
VIAddVersionKey "FileVersion" "${VERSION}"
VIAddVersionKey "LegalCopyright" "${APP}"

!include "MUI2.nsh"
!include "FileFunc.nsh"
!ifdef ICON
  !define MUI_ICON "${ICON}"
  !define MUI_UNICON "${ICON}"
!endif
!define MUI_FINISHPAGE_RUN "$INSTDIR\depot-gui.exe"
!define MUI_FINISHPAGE_RUN_TEXT "Start ${APP}"
!define MUI_COMPONENTSPAGE_NODESC
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_COMPONENTS
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "English"

Section "Depot GUI" SecApp
  SectionIn RO
  SetShellVarContext current
  ; An upgrade replaces the program folder's own files; nothing else in $INSTDIR is touched.
  RMDir /r "$INSTDIR\_internal"
  SetOutPath "$INSTDIR"
  File "${BUNDLE}\depot-gui.exe"
  File "${BUNDLE}\depot-sync.exe"
  File /r "${BUNDLE}\_internal"
  ; The publisher's build-time settings (Xero client id), read by the app next to its executable.
  File /nonfatal "${BUNDLE}\publisher.json"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateShortCut "$SMPROGRAMS\${APP}.lnk" "$INSTDIR\depot-gui.exe" "" "$INSTDIR\depot-gui.exe" 0

  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "${APP}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "Publisher" "${APP}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\depot-gui.exe"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "EstimatedSize" $0
SectionEnd

Section "un.Depot GUI program" UnSecApp
  SectionIn RO
  SetShellVarContext current
  Delete "$SMPROGRAMS\${APP}.lnk"
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\depot-gui.exe"
  Delete "$INSTDIR\depot-sync.exe"
  Delete "$INSTDIR\publisher.json"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  DeleteRegKey HKCU "${UNINSTALL_KEY}"
SectionEnd

; Off unless the user ticks it (or passes /REMOVEDATA): invoices database, settings, logs and
; window layout. Passwords and tokens live in Windows Credential Manager; disconnect in
; Settings > Connections before uninstalling to remove them.
Section /o "un.Remove my data (invoice records, settings, logs)" UnSecData
  RMDir /r "${DATA_DIR}"
  DeleteRegKey HKCU "${QSETTINGS_KEY}"
  DeleteRegKey /ifempty HKCU "Software\Depot GUI"
SectionEnd

Function un.onInit
  ${GetParameters} $R0
  ClearErrors
  ${GetOptions} $R0 "/REMOVEDATA" $R1
  IfErrors +2 0
    SectionSetFlags ${UnSecData} ${SF_SELECTED}
FunctionEnd
