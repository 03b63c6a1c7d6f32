#!/usr/bin/env bash
# Installs Debian's Chromium (and a CJK font) for the browser tests when missing.
# Browser tests drive /usr/bin/chromium with playwright-core; nothing is
# downloaded outside the Debian archive.
set -euo pipefail
have_font() { fc-list :lang=zh 2>/dev/null | grep -q .; }
if [ -x /usr/bin/chromium ] && have_font; then exit 0; fi
if [ "$(id -u)" != "0" ]; then
  echo "ensure-chromium: /usr/bin/chromium is missing; run: sudo apt-get install -y chromium" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# A CJK font so screenshots of the zh-CN workspace show real characters.
apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null
test -x /usr/bin/chromium
