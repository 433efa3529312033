#!/usr/bin/env bash
# 安装测试所需的一切（Python 包、Debian 的 LibreOffice），然后运行 ruff、mypy 和全部测试。
# Installs what the tests need (Python packages, LibreOffice from Debian) and runs lint, types, tests.
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -m pip install --quiet --disable-pip-version-check -e ".[test]"

if ! command -v soffice >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "正在安装 LibreOffice（libreoffice-calc-nogui）…"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libreoffice-calc-nogui >/dev/null
  else
    echo "提示：未找到 soffice，且无法用 apt-get 安装；LibreOffice 对照测试将跳过。" >&2
  fi
fi

ruff check xltools tests bench
ruff format --check xltools tests bench
mypy
python3 -m pytest "$@"
