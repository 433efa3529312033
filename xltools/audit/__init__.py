"""Audit a published report (PDF or .docx): rebuild its 公开 tables and check them with the workbook rules."""
