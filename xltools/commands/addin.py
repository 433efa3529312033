"""`xltools addin build|install|uninstall`: the Excel add-in (xltools.xlam)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

EXIT_NO_EXCEL = 2


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", metavar="操作", required=True)
    build = sub.add_parser("build", help="由 macros/ 构建 xltools.xlam（Linux 上也可构建）")
    build.add_argument("-o", "--output", default="xltools.xlam", help="输出文件（默认 xltools.xlam）")
    sub.add_parser("install", help="把加载项装到 Excel 启动文件夹（Windows、macOS）")
    sub.add_parser("uninstall", help="从 Excel 启动文件夹移除加载项")


def startup_dir(platform: str | None = None, env: dict[str, str] | None = None) -> Path | None:
    """The folder Excel opens every file of at start, or None where there is no desktop Excel."""
    platform = platform or sys.platform
    env = dict(os.environ) if env is None else env
    if platform.startswith("win"):
        return (
            Path(env.get("APPDATA", str(Path.home() / "AppData" / "Roaming")))
            / "Microsoft"
            / "Excel"
            / "XLSTART"
        )
    if platform == "darwin":
        return (
            Path(env.get("HOME", str(Path.home())))
            / "Library/Group Containers/UBF8T346G9.Office/User Content.localized/Startup.localized/Excel"
        )
    return None


def interpreter() -> str:
    """The Python that runs xltools; on Windows pythonw.exe beside it, so no console window flashes."""
    exe = Path(sys.executable)
    quiet = exe.with_name("pythonw.exe")
    return str(quiet if sys.platform.startswith("win") and quiet.exists() else exe)


def _config() -> object:
    import xltools
    from xltools.addin import Config

    exe = interpreter()
    package_root = str(Path(xltools.__file__).resolve().parents[1])
    return Config(interpreter_win=exe, interpreter_mac=exe, pythonpath=package_root)


def run(args: argparse.Namespace) -> int:
    from xltools.addin import ADDIN_NAME, Config, build_addin

    if args.action == "build":
        target = build_addin(Path(args.output))
        print(f"已生成加载项：{target}")
        return 0
    folder = startup_dir()
    if folder is None:
        print(
            "本机没有桌面版 Excel（Linux），加载项无法安装，未写入任何文件。"
            "可用 “xltools addin build -o xltools.xlam” 生成文件，拷到 Windows 电脑上再安装。",
            file=sys.stderr,
        )
        return EXIT_NO_EXCEL
    target = folder / ADDIN_NAME
    if args.action == "install":
        config = _config()
        assert isinstance(config, Config)
        build_addin(target, config)
        print(
            f"已安装加载项：{target}\nPython：{config.interpreter_win}\n"
            "请重新启动 Excel，功能区会出现“决算公开”选项卡。"
        )
        if sys.platform == "darwin":
            print("macOS 还需运行一次：xlwings runpython install")
        return 0
    if target.exists():
        target.unlink()
        print(f"已移除加载项：{target}。请重新启动 Excel。")
    else:
        print(f"未安装加载项（{target} 不存在）。")
    return 0
