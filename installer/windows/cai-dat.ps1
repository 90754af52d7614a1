#Requires -Version 5.1
<#
  xlpy installer for one Windows user (no administrator rights, no Internet).
  Started by cai-dat.cmd. Running it again upgrades in place.

  Steps (each printed in Vietnamese):
   1. unblock the bundle's files (Mark of the Web)
   2. wait until Excel is closed
   3. find Python 3.12 or 3.11, 64-bit, through the py launcher (else say where to get it)
   4. choose the environment folder: %LOCALAPPDATA%\xlpy\venv, or an ASCII-only folder when
      the user name has Vietnamese letters (xlwings' VBA loads its DLL with LoadLibraryA)
   5. stop xlwings' COM server of that environment, create (or reuse) the environment
   6. install xlpy and every dependency from the bundle's wheelhouse (--no-index)
   7. check the DLL, copy the package's add-in into XLSTART with this PC's interpreter
      in its xlpy.conf sheet, unblock it, drop stale OPEN registrations
   8. xlpy.cmd on the user's PATH, Start-menu shortcuts, install record
   9. run `xlpy doctor`
#>
[CmdletBinding()]
param(
    [string]$InstallDir = '',   # environment folder (default: see step 4)
    [switch]$NoPrompt           # never wait for input (fails when Excel is open)
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
try { [Console]::OutputEncoding = [Text.Encoding]::UTF8 } catch { }

$Root = $PSScriptRoot
. (Join-Path $Root 'chung.ps1')
$env:PYTHONIOENCODING = 'utf-8'   # Python's piped output (paths with Vietnamese letters) read as UTF-8

$Manifest = Get-Content -Raw -Encoding UTF8 -Path (Join-Path $Root 'manifest.json') | ConvertFrom-Json
$Version = [string]$Manifest.xlpy
$XlwingsVersion = [string]$Manifest.xlwings
$Wheelhouse = Join-Path $Root 'wheelhouse'

New-Item -ItemType Directory -Force -Path $XlpyHome | Out-Null
try { Start-Transcript -Path (Join-Path $XlpyHome 'cai-dat.log') -Force | Out-Null } catch { }

Write-Host "Cài đặt xlpy $Version (Thi đua – Khen thưởng trong Excel)" -ForegroundColor Green
Write-Host "Bộ cài: $Root"

# ---- 1. Mark of the Web ------------------------------------------------------------------
Write-Step 'Bỏ chặn các tệp của bộ cài (tệp tải từ Internet / nhận qua thư)'
Get-ChildItem -Path $Root -Recurse -File | Unblock-File

# ---- 2. Excel closed -----------------------------------------------------------------------
Write-Step 'Kiểm tra Excel đã đóng'
Wait-ExcelClosed -NoPrompt:$NoPrompt

# ---- 3. Python ---------------------------------------------------------------------------------
Write-Step 'Tìm Python 3.12 hoặc 3.11 (64-bit)'

function Get-PythonInfo([string]$Exe, [string[]]$PreArgs) {
    # sys.executable, bitness, version, or $null; the native call must not stop the script
    $old = $ErrorActionPreference
    $ErrorActionPreference = 'Continue'
    try {
        $probe = 'import sys,struct;print(sys.executable);print(struct.calcsize(chr(80))*8);print(sys.version_info[0]*100+sys.version_info[1])'
        $out = & $Exe @PreArgs -c $probe 2>$null
        if ($LASTEXITCODE -ne 0 -or -not $out -or @($out).Count -lt 3) { return $null }
        $lines = @($out)
        return New-Object PSObject -Property @{ Exe = $lines[0].Trim(); Bits = [int]$lines[1]; Version = [int]$lines[2]; Args = $PreArgs }
    } catch {
        return $null
    } finally {
        $ErrorActionPreference = $old
    }
}

$Python = $null
if (Get-Command 'py' -ErrorAction SilentlyContinue) {
    foreach ($tag in @('-3.12-64', '-3.11-64', '-3.12', '-3.11')) {
        $info = Get-PythonInfo 'py' @($tag)
        if ($info -and $info.Bits -eq 64 -and ($info.Version -eq 312 -or $info.Version -eq 311)) { $Python = $info; break }
    }
}
if (-not $Python) {
    foreach ($cmd in @(Get-Command 'python.exe' -All -ErrorAction SilentlyContinue)) {
        if ($cmd.Source -like '*\WindowsApps\*') { continue }   # the Store's alias opens the Store
        $info = Get-PythonInfo $cmd.Source @()
        if ($info -and $info.Bits -eq 64 -and ($info.Version -eq 312 -or $info.Version -eq 311)) { $Python = $info; break }
    }
}
if (-not $Python) {
    Stop-WithError ("Chưa có Python 3.12 hoặc 3.11 bản 64-bit trên máy.`n" +
        "  1. Tải 'Windows installer (64-bit)' của Python 3.12 tại https://www.python.org/downloads/windows/`n" +
        "     (hoặc nhờ quản trị mạng cài), KHÔNG dùng Python của Microsoft Store.`n" +
        "  2. Chạy bộ cài: giữ mục 'py launcher', bấm Install Now (không cần quyền quản trị).`n" +
        "  3. Chạy lại cai-dat.cmd.")
}
if ($Python.Exe -like '*\WindowsApps\*') {
    Stop-WithError ("Python đang dùng là bản Microsoft Store ($($Python.Exe)); Excel không gọi được bản này.`n" +
        "Cài Python 3.12 64-bit từ https://www.python.org/downloads/windows/ rồi chạy lại cai-dat.cmd.")
}
Write-Host "Dùng Python $([math]::Floor($Python.Version / 100)).$($Python.Version % 100): $($Python.Exe)"

# ---- 4. where the environment goes -------------------------------------------------------------
Write-Step 'Chọn thư mục cài'
$Record = Read-Record
if ($InstallDir) {
    $EnvDir = [IO.Path]::GetFullPath($InstallDir)
} elseif (Test-Ascii $DefaultEnvDir) {
    $EnvDir = $DefaultEnvDir
} else {
    # The user name has Vietnamese letters: the xlwings DLL cannot be loaded from under the profile.
    $EnvDir = Join-Path $env:ProgramData ('xlpy\' + (Get-AsciiName $env:USERNAME) + '\venv')
    Write-Host "Tên người dùng có dấu: cài Python của xlpy vào thư mục không dấu $EnvDir"
}
if (-not (Test-Ascii $EnvDir)) {
    Stop-WithError "Thư mục cài phải không dấu (Excel nạp DLL của xlwings bằng đường dẫn ANSI): $EnvDir. Chạy: cai-dat.cmd -InstallDir C:\xlpy\venv"
}
$EnvPy = Join-Path $EnvDir 'Scripts\python.exe'
$EnvPyw = Join-Path $EnvDir 'Scripts\pythonw.exe'
if ($EnvDir -eq $DefaultEnvDir) { $Interpreter = $DefaultInterpreter } else { $Interpreter = $EnvPyw }
Write-Host "Môi trường Python của xlpy: $EnvDir"

# ---- 5. the environment ------------------------------------------------------------------------
Write-Step 'Dừng Python của xlpy đang chạy nền (máy chủ COM của xlwings)'
Stop-XlpyServer $EnvDir
if ($Record -and $Record.envDir -and ($Record.envDir -ne $EnvDir)) { Stop-XlpyServer ([string]$Record.envDir) }

Write-Step 'Tạo môi trường Python riêng cho xlpy'
if (Test-Path $EnvPy) {
    $have = Get-PythonInfo $EnvPy @()
    if (-not $have -or $have.Version -ne $Python.Version) {
        Write-Host 'Môi trường cũ dùng Python khác: tạo lại.'
        Remove-Item -Recurse -Force -Path $EnvDir
    } else {
        Write-Host 'Đã có, dùng lại (nâng cấp tại chỗ).'
    }
}
if (-not (Test-Path $EnvPy)) {
    New-Item -ItemType Directory -Force -Path (Split-Path -Parent $EnvDir) | Out-Null
    & $Python.Exe -m venv $EnvDir
    if ($LASTEXITCODE -ne 0 -or -not (Test-Path $EnvPy)) { Stop-WithError "Không tạo được môi trường Python tại $EnvDir." }
}

# ---- 6. packages from the wheelhouse -----------------------------------------------------------
Write-Step "Cài xlpy $Version và các thư viện từ bộ cài (không cần Internet)"
$env:PIP_CONFIG_FILE = 'NUL'          # an office pip.ini must not send pip to an index
$env:PIP_DISABLE_PIP_VERSION_CHECK = '1'
$env:PIP_NO_INPUT = '1'
& $EnvPy -m pip install --no-index --find-links $Wheelhouse --upgrade --upgrade-strategy eager "xlpy==$Version"
if ($LASTEXITCODE -ne 0) { Stop-WithError 'Cài thư viện thất bại (xem thông báo phía trên).' }
# the same version again (a repair): rewrite xlpy and xlwings (the add-in's DLL) whatever pip thinks
& $EnvPy -m pip install --no-index --find-links $Wheelhouse --force-reinstall --no-deps "xlpy==$Version" "xlwings==$XlwingsVersion"
if ($LASTEXITCODE -ne 0) { Stop-WithError 'Cài lại xlpy, xlwings thất bại.' }

# ---- 7. the add-in -----------------------------------------------------------------------------------
Write-Step 'Cài add-in vào Excel'
$Dll = Join-Path $EnvDir "xlwings64-$XlwingsVersion.dll"
if (-not (Test-Path $Dll)) { Stop-WithError "Thiếu $Dll sau khi cài xlwings $XlwingsVersion." }
New-Item -ItemType Directory -Force -Path $XlStartDir | Out-Null
$AddinTarget = Join-Path $XlStartDir $AddinName
# the add-in of the package just installed, with this PC's interpreter in its xlpy.conf sheet
& $EnvPy -m xlpy.excel.build --configure --interpreter $Interpreter --out $AddinTarget
if ($LASTEXITCODE -ne 0 -or -not (Test-Path $AddinTarget)) { Stop-WithError "Không chép được add-in vào $XlStartDir." }
Unblock-File -Path $AddinTarget
$removed = Remove-OpenEntries
if ($removed -gt 0) { Write-Host "Đã gỡ $removed đăng ký add-in cũ (File > Options > Add-ins)." }
$OldCopy = Join-Path $AddinsDir $AddinName
if (Test-Path $OldCopy) {
    $backup = Join-Path $XlpyHome 'add-in-cu'
    New-Item -ItemType Directory -Force -Path $backup | Out-Null
    Move-Item -Force -Path $OldCopy -Destination (Join-Path $backup $AddinName)
    Write-Host "Đã chuyển bản add-in cũ ở $AddinsDir sang $backup."
}
Write-Host "Add-in: $AddinTarget (Excel mở tự động mỗi lần khởi động)"

# ---- 8. command, shortcuts, record ---------------------------------------------------------------
Write-Step 'Tạo lệnh xlpy và lối tắt trong Start menu'
New-Item -ItemType Directory -Force -Path $BinDir | Out-Null
$shim = Join-Path $BinDir 'xlpy.cmd'
[IO.File]::WriteAllText($shim, "@echo off`r`n`"$EnvDir\Scripts\xlpy.exe`" %*`r`n", (New-Object System.Text.UTF8Encoding($false)))
$userPath = [Environment]::GetEnvironmentVariable('Path', 'User')
if (-not $userPath) { $userPath = '' }
if (-not ($userPath.Split(';') | Where-Object { $_.TrimEnd('\') -eq $BinDir.TrimEnd('\') })) {
    [Environment]::SetEnvironmentVariable('Path', (($userPath.TrimEnd(';') + ';' + $BinDir).TrimStart(';')), 'User')
}
$Guide = Join-Path $Root 'huong-dan-su-dung.pdf'
if (Test-Path $Guide) { Copy-Item -Force -Path $Guide -Destination (Join-Path $XlpyHome 'huong-dan-su-dung.pdf') }
try {
    New-Item -ItemType Directory -Force -Path $StartMenuDir | Out-Null
    $shell = New-Object -ComObject WScript.Shell
    $lnk = $shell.CreateShortcut((Join-Path $StartMenuDir 'xlpy - Kiểm tra cài đặt.lnk'))
    $lnk.TargetPath = Join-Path $env:SystemRoot 'System32\cmd.exe'
    $lnk.Arguments = "/k `"`"$shim`" doctor`""
    $lnk.WorkingDirectory = $XlpyHome
    $lnk.Save()
    $lnk = $shell.CreateShortcut((Join-Path $StartMenuDir 'xlpy - Hướng dẫn sử dụng.lnk'))
    $lnk.TargetPath = Join-Path $XlpyHome 'huong-dan-su-dung.pdf'
    $lnk.Save()
} catch {
    Write-Host "Không tạo được lối tắt trong Start menu ($($_.Exception.Message)); không ảnh hưởng tới Excel." -ForegroundColor Yellow
}
$rec = New-Object PSObject -Property @{
    xlpy = $Version; xlwings = $XlwingsVersion; envDir = $EnvDir; python = $Python.Exe
    addin = $AddinTarget; interpreter = $Interpreter; installed = (Get-Date).ToString('s')
}
[IO.File]::WriteAllText($RecordFile, ($rec | ConvertTo-Json), (New-Object System.Text.UTF8Encoding($false)))

# ---- 9. check --------------------------------------------------------------------------------------
Write-Step 'Kiểm tra cài đặt (xlpy doctor)'
& $EnvPy -m xlpy.cli doctor
$rc = $LASTEXITCODE
Write-Host ''
if ($rc -eq 0) {
    Write-Host "Đã cài xong xlpy $Version. Mở Excel: thẻ 'Thi đua – Khen thưởng' nằm sau thẻ Home." -ForegroundColor Green
} else {
    Write-Host 'Đã cài xlpy, nhưng còn mục cần sửa (bảng trên, cột Cách sửa). Sửa xong, chạy lại cai-dat.cmd.' -ForegroundColor Yellow
}
Write-Host "Nhật ký cài đặt: $(Join-Path $XlpyHome 'cai-dat.log')"
try { Stop-Transcript | Out-Null } catch { }
exit $rc
