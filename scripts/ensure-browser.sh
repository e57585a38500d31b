#!/usr/bin/env bash
# The report's browser test drives Debian's Chromium (no browser download is possible here).
# Installs it when missing and we are allowed to (root with apt-get); otherwise says how.
set -u
if command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "topicscope: installing Debian's chromium for the browser tests (apt-get install chromium)…" >&2
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >&2 || {
    echo "topicscope: could not install chromium; the browser test will fail. Install it with: apt-get install -y chromium" >&2
    exit 0
  }
else
  echo "topicscope: chromium not found; the browser test needs it: sudo apt-get install -y chromium" >&2
fi
exit 0
