# Shared by cai-dat.ps1 (install/upgrade) and go-cai-dat.ps1 (uninstall). Windows PowerShell 5.1.
# Messages are Vietnamese (the officer reads them); comments are English.
# This file is UTF-8 with a BOM: Windows PowerShell 5.1 reads a file without a BOM as ANSI.

$AddinName = 'xlpy.xlam'
$XlpyHome = Join-Path $env:LOCALAPPDATA 'xlpy'                       # logs, install record, shims
$DefaultEnvDir = Join-Path $XlpyHome 'venv'                           # the add-in's default interpreter lives here
$DefaultInterpreter = '%LOCALAPPDATA%\xlpy\venv\Scripts\pythonw.exe'  # written as is; xlwings' VBA expands it
$XlStartDir = Join-Path $env:APPDATA 'Microsoft\Excel\XLSTART'        # Application.StartupPath, as `xlwings addin install` uses
$AddinsDir = Join-Path $env:APPDATA 'Microsoft\AddIns'                # where the old manual install put the add-in
$BinDir = Join-Path $XlpyHome 'bin'                                   # holds xlpy.cmd; put on the user's PATH
$StartMenuDir = Join-Path $env:APPDATA 'Microsoft\Windows\Start Menu\Programs\xlpy'
$RecordFile = Join-Path $XlpyHome 'cai-dat.json'

function Write-Step([string]$Text) {
    Write-Host ''
    Write-Host "==> $Text" -ForegroundColor Cyan
}

function Stop-WithError([string]$Text) {
    Write-Host ''
    Write-Host "LỖI: $Text" -ForegroundColor Red
    exit 1
}

function Test-Ascii([string]$Text) {
    return ($Text -match '^[\x00-\x7F]*$')
}

function Get-AsciiName([string]$Text) {
    # Nguyễn Thị Thủy -> Nguyen Thi Thuy (for a folder name the xlwings DLL can load from)
    $t = $Text.Replace([string][char]0x0111, 'd').Replace([string][char]0x0110, 'D')
    $decomposed = $t.Normalize([Text.NormalizationForm]::FormD)
    $sb = New-Object System.Text.StringBuilder
    foreach ($ch in $decomposed.ToCharArray()) {
        $cat = [Globalization.CharUnicodeInfo]::GetUnicodeCategory($ch)
        if ($cat -ne [Globalization.UnicodeCategory]::NonSpacingMark) { [void]$sb.Append($ch) }
    }
    $ascii = ($sb.ToString() -replace '[^A-Za-z0-9 ._-]', '_').Trim()
    if (-not $ascii) { $ascii = 'user' }
    return $ascii
}

function Wait-ExcelClosed([switch]$NoPrompt) {
    # The add-in file and the DLL are locked while Excel runs.
    while (Get-Process -Name 'EXCEL' -ErrorAction SilentlyContinue) {
        if ($NoPrompt) { Stop-WithError 'Excel đang mở. Đóng hết cửa sổ Excel rồi chạy lại.' }
        Write-Host 'Excel đang mở. Hãy lưu và đóng hết cửa sổ Excel, rồi bấm Enter để tiếp tục.' -ForegroundColor Yellow
        [void](Read-Host)
    }
}

function Stop-XlpyServer([string]$EnvDir) {
    # xlwings' COM server (pythonw.exe of our environment) keeps the old modules and the DLL loaded.
    # A venv's Scripts\pythonw.exe is a redirector that starts the base interpreter as its child,
    # so the children of our environment's processes are stopped too.
    if (-not $EnvDir) { return }
    $prefix = [IO.Path]::GetFullPath($EnvDir).TrimEnd('\') + '\'
    $procs = @(Get-CimInstance -ClassName Win32_Process -Filter "Name = 'python.exe' OR Name = 'pythonw.exe'" -ErrorAction SilentlyContinue)
    $ours = @($procs | Where-Object { $_.ExecutablePath -and $_.ExecutablePath.StartsWith($prefix, [StringComparison]::OrdinalIgnoreCase) })
    $ids = @($ours | ForEach-Object { $_.ProcessId })
    $children = @($procs | Where-Object { $ids -contains $_.ParentProcessId })
    foreach ($p in @($children) + @($ours)) {
        Stop-Process -Id $p.ProcessId -Force -ErrorAction SilentlyContinue
    }
}

function Remove-OpenEntries {
    # Excel opens the add-ins ticked in its Add-ins dialog from values OPEN, OPEN1, OPEN2, ... of
    # HKCU:\Software\Microsoft\Office\<version>\Excel\Options, read in order until one is missing.
    # Drop those naming xlpy.xlam (the XLSTART copy is the one registration) and renumber the rest.
    $removed = 0
    foreach ($ver in Get-ChildItem -Path 'HKCU:\Software\Microsoft\Office' -ErrorAction SilentlyContinue) {
        $key = Join-Path $ver.PSPath 'Excel\Options'
        if (-not (Test-Path $key)) { continue }
        $props = Get-ItemProperty -Path $key
        $opens = @()
        foreach ($p in $props.PSObject.Properties) {
            if ($p.Name -match '^OPEN(\d*)$') {
                $n = -1
                if ($Matches[1]) { $n = [int]$Matches[1] }
                $opens += New-Object PSObject -Property @{ Name = $p.Name; Index = $n; Value = [string]$p.Value }
            }
        }
        if (-not ($opens | Where-Object { $_.Value -like "*$AddinName*" })) { continue }
        $keep = @($opens | Sort-Object Index | Where-Object { $_.Value -notlike "*$AddinName*" })
        $removed += $opens.Count - $keep.Count
        foreach ($o in $opens) { Remove-ItemProperty -Path $key -Name $o.Name }
        for ($i = 0; $i -lt $keep.Count; $i++) {
            $name = 'OPEN'
            if ($i -gt 0) { $name = "OPEN$i" }
            New-ItemProperty -Path $key -Name $name -Value $keep[$i].Value -PropertyType String -Force | Out-Null
        }
    }
    return $removed
}

function Read-Record {
    if (Test-Path $RecordFile) {
        return (Get-Content -Raw -Encoding UTF8 -Path $RecordFile | ConvertFrom-Json)
    }
    return $null
}

function Remove-FromUserPath([string]$Dir) {
    $path = [Environment]::GetEnvironmentVariable('Path', 'User')
    if (-not $path) { return }
    $parts = @($path.Split(';') | Where-Object { $_ -and ($_.TrimEnd('\') -ne $Dir.TrimEnd('\')) })
    [Environment]::SetEnvironmentVariable('Path', ($parts -join ';'), 'User')
}
