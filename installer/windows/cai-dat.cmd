@echo off
rem xlpy installer for Windows: double-click. Runs cai-dat.ps1 beside this file with
rem Windows PowerShell 5.1 (built into Windows 10/11); no administrator rights needed.
rem Running it again upgrades xlpy in place (add-in, package and DLL of one version).
setlocal
powershell.exe -NoLogo -NoProfile -ExecutionPolicy Bypass -File "%~dp0cai-dat.ps1" %*
set "XLPY_RC=%ERRORLEVEL%"
echo.
pause
exit /b %XLPY_RC%
