; NSIS additions (electron-builder.yml, nsis.include): the install folder, which holds medseal.cmd, on the
; machine PATH, so that `medseal` works in every new console; taken off again on uninstall. The MSI does not
; run this: docs/DEPLOYMENT.md says how IT adds the folder there.
!include "LogicLib.nsh"
!include "WinMessages.nsh"
!include "StrFunc.nsh"
${StrStr}
${UnStrRep}

!define MEDSEAL_ENV_KEY "SYSTEM\CurrentControlSet\Control\Session Manager\Environment"

!macro customInstall
  ReadRegStr $0 HKLM "${MEDSEAL_ENV_KEY}" "Path"
  ${StrStr} $1 "$0;" "$INSTDIR;"
  ${If} $1 == ""
    WriteRegExpandStr HKLM "${MEDSEAL_ENV_KEY}" "Path" "$0;$INSTDIR"
    SendMessage ${HWND_BROADCAST} ${WM_WININICHANGE} 0 "STR:Environment" /TIMEOUT=5000
  ${EndIf}
!macroend

!macro customUnInstall
  ReadRegStr $0 HKLM "${MEDSEAL_ENV_KEY}" "Path"
  ${UnStrRep} $1 "$0" ";$INSTDIR" ""
  ${If} $1 != $0
    WriteRegExpandStr HKLM "${MEDSEAL_ENV_KEY}" "Path" "$1"
    SendMessage ${HWND_BROADCAST} ${WM_WININICHANGE} 0 "STR:Environment" /TIMEOUT=5000
  ${EndIf}
!macroend
