#Requires -Version 5.1
<#
  xlpy uninstaller for one Windows user. Started by go-cai-dat.cmd.
  Removes what cai-dat.ps1 made: the add-in in XLSTART (and stale OPEN registrations),
  xlwings' COM server of xlpy's environment, the environment, xlpy.cmd and its PATH entry,
  the Start-menu shortcuts and %LOCALAPPDATA%\xlpy. Workbooks and reports are not touched.
#>
[CmdletBinding()]
param(
    [switch]$NoPrompt
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
try { [Console]::OutputEncoding = [Text.Encoding]::UTF8 } catch { }

. (Join-Path $PSScriptRoot 'chung.ps1')

Write-Host 'Gỡ cài đặt xlpy (sổ tính, báo cáo của bạn không bị xóa)' -ForegroundColor Green
if (-not $NoPrompt) {
    $answer = Read-Host 'Gõ C rồi Enter để gỡ, Enter để thôi'
    if ($answer -notmatch '^[cC]$') { Write-Host 'Không gỡ gì.'; exit 0 }
}

Write-Step 'Kiểm tra Excel đã đóng'
Wait-ExcelClosed -NoPrompt:$NoPrompt

$Record = Read-Record
$EnvDirs = @($DefaultEnvDir)
if ($Record -and $Record.envDir) { $EnvDirs += [string]$Record.envDir }

Write-Step 'Dừng Python của xlpy đang chạy nền'
foreach ($dir in $EnvDirs) { Stop-XlpyServer $dir }

Write-Step 'Gỡ add-in khỏi Excel'
$AddinTarget = Join-Path $XlStartDir $AddinName
if (Test-Path $AddinTarget) { Remove-Item -Force -Path $AddinTarget }
$OldCopy = Join-Path $AddinsDir $AddinName
if (Test-Path $OldCopy) { Remove-Item -Force -Path $OldCopy }
$removed = Remove-OpenEntries
if ($removed -gt 0) { Write-Host "Đã gỡ $removed đăng ký add-in (File > Options > Add-ins)." }

Write-Step 'Xóa môi trường Python của xlpy, lệnh xlpy và lối tắt'
foreach ($dir in $EnvDirs) {
    if (Test-Path $dir) { Remove-Item -Recurse -Force -Path $dir }
    $parent = Split-Path -Parent $dir
    if ((Test-Path $parent) -and -not (Get-ChildItem -Force -Path $parent)) { Remove-Item -Force -Path $parent }
}
Remove-FromUserPath $BinDir
if (Test-Path $StartMenuDir) { Remove-Item -Recurse -Force -Path $StartMenuDir }
if (Test-Path $XlpyHome) { Remove-Item -Recurse -Force -Path $XlpyHome }

Write-Host ''
Write-Host 'Đã gỡ xlpy. Python (python.org) vẫn còn; gỡ trong Settings > Apps nếu không dùng nữa.' -ForegroundColor Green
exit 0
