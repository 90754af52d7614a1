Attribute VB_Name = "XlpyRibbon"
' xlpy ribbon callback: every button of the "Thi dua - Khen thuong" tab calls this Sub.
' The button's tag is the name of an xlpy action; Python does the rest
' (xlpy.excel.ribbon.dispatch runs the action on the active workbook).
' Static on purpose: new actions need no VBA change, only a rebuilt ribbon.
Option Explicit

Sub XlpyAction(control As IRibbonControl)
    RunPython "import xlpy.excel.ribbon as r; r.dispatch('" & control.Tag & "')"
End Sub
