Attribute VB_Name = "XltoolsRibbon"
' Ribbon callbacks of the xltools add-in (tab "juesuan gongkai").
' Every button calls XltoolsDispatch; the button's id names the Python handler in
' xltools.excel.ribbon.HANDLERS, which does the work on the active workbook.
Option Explicit

Public Sub XltoolsDispatch(control As IRibbonControl)
    If control.Id = "settings" Then
        ' Re-import the worksheet functions (CHECK_TOTAL ...) into this add-in, then save the
        ' add-in: Excel never saves an add-in on exit, so unsaved functions vanish on restart.
        ' Windows only; needs "Trust access to the VBA project object model".
        #If Not Mac Then
            On Error Resume Next
            Err.Clear
            ImportPythonUDFsToAddin
            If Err.Number = 0 Then ThisWorkbook.Save
            On Error GoTo 0
        #End If
    End If
    RunPython "import xltools.excel.ribbon as r; r.dispatch('" & control.Id & "')"
End Sub
