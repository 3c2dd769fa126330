@echo off
rem medseal: the MedSeal command line on Windows, run by the app binary (MedSeal.exe --cli), since
rem workstations have no Node. Installed beside MedSeal.exe; the installer puts that folder on the PATH.
"%~dp0MedSeal.exe" --cli -- %*
exit /b %ERRORLEVEL%
