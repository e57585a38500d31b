#!/usr/bin/env bash
# `npm run notebooks` executes the notebooks with Jupyter's nbclient from Debian's packages
# and Deno's Jupyter kernel from the `deno` npm package (a devDependency: its binary ships inside the
# npm platform package @deno/<platform>, no download). Installs the Debian side when it is missing and
# we are allowed to (root with apt-get), like ensure-browser.sh; quiet when everything is there.
# TOPICSCOPE_PYTHON names another Python that has nbclient (e.g. a venv with `pip install nbclient`).
set -u
cd "$(dirname "$0")/.."
python="${TOPICSCOPE_PYTHON:-/usr/bin/python3}"
packages="python3-nbclient"
has_jupyter() { [ -x "$python" ] && "$python" -c "import nbclient, nbformat, jupyter_client" >/dev/null 2>&1; }

if ! has_jupyter; then
  if [ -z "${TOPICSCOPE_PYTHON:-}" ] && [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "topicscope: installing Debian's Jupyter for the notebooks: $packages" >&2
    # Another apt-get may hold the lock (CI images, other jobs): wait for it rather than fail.
    (apt-get -o DPkg::Lock::Timeout=600 update -qq &&
      DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends $packages) >&2 ||
      echo "topicscope: could not install $packages" >&2
  fi
  if ! has_jupyter; then
    echo "topicscope: the notebooks need Jupyter's nbclient for $python: sudo apt-get install -y $packages (or set TOPICSCOPE_PYTHON to a Python that has them)" >&2
    exit 1
  fi
fi

if [ ! -x node_modules/.bin/deno ]; then
  echo "topicscope: the notebooks' kernel is Deno from npm (devDependency 'deno'); run npm ci first" >&2
  exit 1
fi
exit 0
