#!/usr/bin/env bash
# 安装测试所需的一切：本项目及其测试依赖（pip），以及 Debian 的 LibreOffice（用于校验公式的对照计算）。
# Installs what the tests need: this project with its test extras (pip), and LibreOffice from Debian.
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

# xltools audit: Writer prints the sample report's 情况说明 (.docx → PDF); Chromium shows the HTML summary
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  missing=()
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  dpkg -s libreoffice-writer-nogui >/dev/null 2>&1 || dpkg -s libreoffice-writer >/dev/null 2>&1 \
    || missing+=(libreoffice-writer-nogui)
  dpkg -s fonts-noto-cjk >/dev/null 2>&1 || missing+=(fonts-noto-cjk)
  if [ ${#missing[@]} -gt 0 ]; then
    echo "正在安装 ${missing[*]}…"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
fi
