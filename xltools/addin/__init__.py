"""The add-in builder: xltools.xlam from the VBA sources in macros/ and the ribbon of
xltools/excel/buttons.py, on any OS (the VBA project is written by vba.py into a compound file by cfb.py).

The runtime half, what Excel calls once the add-in is loaded, is xltools/excel/."""

from xltools.addin.build import ADDIN_NAME, MAIN_TYPE, Config, build_addin, macros_dir

__all__ = ["ADDIN_NAME", "MAIN_TYPE", "Config", "build_addin", "macros_dir"]
