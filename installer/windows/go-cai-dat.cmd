@echo off
rem xlpy uninstaller for Windows: double-click. Runs go-cai-dat.ps1 beside this file.
rem Removes the add-in, the Python environment and the shortcuts; workbooks are not touched.
setlocal
powershell.exe -NoLogo -NoProfile -ExecutionPolicy Bypass -File "%~dp0go-cai-dat.ps1" %*
set "XLPY_RC=%ERRORLEVEL%"
echo.
pause
exit /b %XLPY_RC%
