"""The add-in built on Linux, read back: VBA sources, ribbon, package, handlers, install."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from xltools.addin import MAIN_TYPE, Config, build_addin, macros_dir
from xltools.addin.vba import compress
from xltools.commands import addin as addin_command
from xltools.excel import ribbon
from xltools.excel.book import CONFIG_SHEET

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
MACROS = macros_dir()
CUSTOMUI_2010 = "http://schemas.microsoft.com/office/2009/07/customui"


@pytest.fixture(scope="module")
def xlam(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_addin(
        tmp_path_factory.mktemp("addin") / "xltools.xlam", Config(interpreter_win="C:\\py\\pythonw.exe")
    )


def vba_sources(path: Path, tmp: Path) -> dict[str, str]:
    from oletools.olevba import VBA_Parser

    with zipfile.ZipFile(path) as zf:
        (tmp / "vbaProject.bin").write_bytes(zf.read("xl/vbaProject.bin"))
    parser = VBA_Parser(str(tmp / "vbaProject.bin"))
    try:
        return {name: code.replace("\r\n", "\n") for _, _, name, code in parser.extract_macros()}
    finally:
        parser.close()


def test_every_module_reads_back_identical(xlam: Path, tmp_path: Path) -> None:
    found = vba_sources(xlam, tmp_path)
    expected = {
        p.name: p.read_text(encoding="ascii") for p in MACROS.iterdir() if p.suffix in (".bas", ".cls")
    }
    assert set(found) == set(expected)
    for name, source in expected.items():
        assert found[name] == source, name
    assert 'Public Const PROJECT_NAME As String = "xltools"' in found["xlwings.bas"]


def test_vba_project_is_a_valid_compound_file(xlam: Path, tmp_path: Path) -> None:
    import olefile

    with zipfile.ZipFile(xlam) as zf:
        data = zf.read("xl/vbaProject.bin")
    ole = olefile.OleFileIO(data)
    assert sorted("/".join(p) for p in ole.listdir()) == sorted(
        ["PROJECT", "VBA/_VBA_PROJECT", "VBA/dir"] + [f"VBA/{p.stem}" for p in MACROS.glob("*.[bc][al][si]")]
    )
    project = ole.openstream("PROJECT").read().decode("ascii")
    assert 'Name="xltools"' in project and "Module=XltoolsRibbon" in project and "Class=Dictionary" in project
    assert ole.openstream("VBA/_VBA_PROJECT").read()[2:4] == b"\xff\xff"  # no p-code: Excel compiles


@pytest.mark.parametrize("size", [0, 1, 600, 601, 4095, 4096, 4097, 20000])
def test_compression_round_trips(size: int) -> None:
    # text like VBA (repetitive) and bytes that do not repeat, past the ~600-byte and chunk limits
    from oletools.olevba import decompress_stream

    text = (b"    Dim x As Long\r\n    x = x + 1 ' note\r\n" * 1000)[:size]
    noise = bytes((i * 7919 + (i >> 3) * 31) % 251 for i in range(size))
    for data in (text, noise):
        assert bytes(decompress_stream(bytearray(compress(data)))) == data


def ribbon_xml(xlam: Path) -> etree._Element:
    with zipfile.ZipFile(xlam) as zf:
        return etree.fromstring(zf.read("customUI/customUI14.xml"))


def test_ribbon(xlam: Path) -> None:
    root = ribbon_xml(xlam)
    assert etree.QName(root).namespace == CUSTOMUI_2010
    ns = {"c": CUSTOMUI_2010}
    tab = root.find(".//c:tab", ns)
    assert tab is not None and tab.get("label") == "决算公开"
    buttons = root.findall(".//c:button", ns)
    labels = [b.get("label") for b in buttons]
    assert labels == [
        "新建模板",
        "填表",
        "校验",
        "添加校验公式",
        "修正",
        "生成说明",
        "导出PDF",
        "设置",
        "帮助",
    ]
    subs = set()
    for p in MACROS.glob("*.bas"):
        subs |= set(re.findall(r"^(?:Public |Private )?Sub (\w+)\(", p.read_text(), re.M))
    for b in buttons:
        assert b.get("onAction") in subs
        assert b.get("imageMso") and b.get("screentip") and b.get("supertip")
        assert b.get("id") in ribbon.HANDLERS
    assert set(ribbon.HANDLERS) == {b.get("id") for b in buttons}


def test_package(xlam: Path) -> None:
    with zipfile.ZipFile(xlam) as zf:
        types = etree.fromstring(zf.read("[Content_Types].xml"))
        rels = zf.read("_rels/.rels").decode()
        sheet = zf.read("xl/worksheets/sheet1.xml").decode()
        workbook = zf.read("xl/workbook.xml").decode()
        for name in zf.namelist():
            if name.endswith((".xml", ".rels")):
                etree.fromstring(zf.read(name))  # well-formed
    main = [o.get("ContentType") for o in types if o.get("PartName") == "/xl/workbook.xml"]
    assert main == [MAIN_TYPE] == ["application/vnd.ms-excel.addin.macroEnabled.main+xml"]
    assert 'Target="customUI/customUI14.xml"' in rels
    assert f'name="{CONFIG_SHEET}"' in workbook and 'codeName="ThisWorkbook"' in workbook
    assert "xltools.excel.udfs" in sheet and "C:\\py\\pythonw.exe" in sheet and "UDF Modules" in sheet


def test_handlers_and_ribbon_sources_are_ascii() -> None:
    for p in MACROS.glob("*.[bc][al][si]"):
        assert p.read_bytes().isascii(), p.name
    dispatcher = (MACROS / "XltoolsRibbon.bas").read_text()
    assert "Public Sub XltoolsDispatch(control As IRibbonControl)" in dispatcher
    assert 'RunPython "import xltools.excel.ribbon as r; r.dispatch(\'" & control.Id & "\')"' in dispatcher


def test_cli_build(tmp_path: Path) -> None:
    target = tmp_path / "out" / "xltools.xlam"
    done = subprocess.run(
        [sys.executable, "-m", "xltools.cli", "addin", "build", "-o", str(target)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert zipfile.is_zipfile(target)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux behaviour")
def test_install_on_linux_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("APPDATA", str(tmp_path))
    for action in ("install", "uninstall"):
        done = subprocess.run(
            [sys.executable, "-m", "xltools.cli", "addin", action], capture_output=True, text=True
        )
        assert done.returncode == 2
        assert "Excel" in done.stderr and "未写入任何文件" in done.stderr
    assert list(tmp_path.iterdir()) == []


def test_startup_folders() -> None:
    win = addin_command.startup_dir("win32", {"APPDATA": "C:\\Users\\u\\AppData\\Roaming"})
    assert win is not None and win.parts[-3:] == ("Microsoft", "Excel", "XLSTART")
    mac = addin_command.startup_dir("darwin", {"HOME": "/Users/u"})
    assert mac is not None and str(mac).endswith(
        "UBF8T346G9.Office/User Content.localized/Startup.localized/Excel"
    )
    assert addin_command.startup_dir("linux", {}) is None


def test_install_writes_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the install path itself, pointed at a folder: the add-in carries this Python
    monkeypatch.setattr(addin_command, "startup_dir", lambda: tmp_path)
    import argparse

    assert addin_command.run(argparse.Namespace(action="install")) == 0
    with zipfile.ZipFile(tmp_path / "xltools.xlam") as zf:
        sheet = zf.read("xl/worksheets/sheet1.xml").decode()
    assert sys.executable in sheet
    assert addin_command.run(argparse.Namespace(action="uninstall")) == 0
    assert not (tmp_path / "xltools.xlam").exists()


def test_xlwings_module_matches_installed_xlwings() -> None:
    import xlwings

    source = (MACROS / "xlwings.bas").read_text()
    assert f'XLWINGS_VERSION As String = "{xlwings.__version__}"' in source


def test_ribbon_words_are_the_handlers_words(xlam: Path) -> None:
    """Every sheet a tip or the help names is one a handler reads or writes, and the built ribbon says
    exactly what BUTTONS says (it is rendered from it)."""
    from xltools.excel import book
    from xltools.excel.buttons import BUTTONS, FILL_DATA_SHEETS, HELP
    from xltools.rules.render_sheet import SHEET

    sheets = {
        book.RESULT_SHEET,
        book.FORMULA_SHEET,
        book.NARRATIVE_SHEET,
        book.CONFIG_SHEET,
        *FILL_DATA_SHEETS,
    }
    assert book.FORMULA_SHEET == SHEET  # the sheet 添加校验公式 and `xltools formulas` write
    labels = {b.label for b in BUTTONS}
    for text in [HELP, *(b.tip for b in BUTTONS)]:
        for name in re.findall(r"“([^”]+)”", text):
            assert name in sheets or name in labels, (name, text)
    assert "填表数据" not in HELP and "校验公式”" not in HELP
    ns = {"c": CUSTOMUI_2010}
    built = {
        b.get("id"): (b.get("label"), b.get("supertip")) for b in ribbon_xml(xlam).findall(".//c:button", ns)
    }
    assert built == {b.id: (b.label, b.tip) for b in BUTTONS}


def test_settings_saves_the_addin_after_importing_the_functions(xlam: Path, tmp_path: Path) -> None:
    """The UDFs the 设置 button imports live in the add-in's VBA project; Excel does not save an add-in on
    exit, so the dispatcher saves it — read back from the built .xlam, in that order, only on success."""
    source = vba_sources(xlam, tmp_path)["XltoolsRibbon.bas"]
    branch = source[source.index('If control.Id = "settings" Then') : source.index("RunPython")]
    steps = [line.strip() for line in branch.splitlines()]
    imported = steps.index("ImportPythonUDFsToAddin")
    assert (
        steps[imported - 1] == "Err.Clear"
        and steps[imported + 1] == "If Err.Number = 0 Then ThisWorkbook.Save"
    )
    assert "ImportPythonUDFsBase addin:=True" in vba_sources(xlam, tmp_path)["xlwings.bas"]
