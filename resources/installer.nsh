; Included by the NSIS installer (electron-builder picks up buildResources/installer.nsh).
; Registers the join-link scheme tandem:// at install time: electron-builder registers protocols
; itself on macOS and Linux, not on Windows. SHELL_CONTEXT is HKCU for a per-user install and
; HKLM for a per-machine (/allusers) one. The scheme must equal PRODUCT.protocolScheme in
; packages/shared/src/product.ts; apps/desktop/src/main/policy/installerConfig.test.ts checks it.
!macro customInstall
  WriteRegStr SHELL_CONTEXT "Software\Classes\tandem" "" "URL:Tandem meeting link"
  WriteRegStr SHELL_CONTEXT "Software\Classes\tandem" "URL Protocol" ""
  WriteRegStr SHELL_CONTEXT "Software\Classes\tandem\DefaultIcon" "" "$appExe,0"
  WriteRegStr SHELL_CONTEXT "Software\Classes\tandem\shell\open\command" "" '"$appExe" -- "%1"'
!macroend

!macro customUnInstall
  DeleteRegKey SHELL_CONTEXT "Software\Classes\tandem"
!macroend
