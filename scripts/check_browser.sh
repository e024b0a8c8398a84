#!/bin/sh
# The portfolio HTML test (tests/portfolio/test_portfolio_browser.py) drives headless Chromium.
# Installs Debian's chromium with apt-get when we are root on Debian/Ubuntu; otherwise says what
# to do (the test then skips with a message). Playwright itself comes from the dev extra.
set -eu
if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "impactkit: installing Chromium for the portfolio browser test (apt-get install chromium)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  command -v chromium >/dev/null 2>&1 && exit 0
fi
echo "impactkit: the portfolio browser test needs Chromium; it will be skipped." >&2
echo "  Debian/Ubuntu: sudo apt-get install chromium   (or set IMPACTKIT_CHROMIUM=/path/to/chromium)" >&2
exit 0
