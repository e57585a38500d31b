#!/usr/bin/env bash
# The report's browser test drives Debian's Chromium (no browser download is possible here), and the
# PNG charts need a font on the machine. Installs what is missing when we are allowed to (root with
# apt-get); otherwise says how.
set -u
missing=""
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || missing="$missing chromium"
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing="$missing fonts-dejavu-core"
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "topicscope: installing Debian packages for the browser and chart tests:$missing" >&2
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing) >&2 ||
    echo "topicscope: could not install$missing; the browser/chart tests will fail. Install with: apt-get install -y$missing" >&2
else
  echo "topicscope: missing$missing; the browser/chart tests need them: sudo apt-get install -y$missing" >&2
fi
exit 0
