#!/usr/bin/env bash
# Set up this project on a fresh Debian machine, then build the site and the PDF from the samples.
#   bash scripts/setup.sh            set up and build
#   bash scripts/setup.sh --no-build set up only
# Installs missing Debian packages when run as root (otherwise names them and stops),
# creates the virtual environment .venv and installs the pinned Python packages.
set -euo pipefail
cd "$(dirname "$0")/.."

DEB_PACKAGES=(
  libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0  # WeasyPrint's text layout
  libatomic1          # Playwright's bundled driver (node) needs libatomic.so.1
  fontconfig          # fc-list: the PDF build checks that a Chinese font is installed
  fonts-noto-cjk      # Noto Serif/Sans CJK SC: body (仿宋 substitute), headings (黑体 substitute)
  fonts-arphic-ukai   # AR PL UKai: 楷体 for level-2 headings
  fonts-hanazono      # HanaMinA/B: CJK Extension B characters (𠀀) in the PDF
  poppler-utils       # pdftotext, pdfinfo, pdffonts: privacy scan and PDF tests
  chromium            # headless browser for the site tests
  git                 # reproducible dates and `build.py diff`
)
PYTHON=${PYTHON:-python3}

# The oldest Python every pinned package installs on: requires-python in pyproject.toml.
FLOOR=$(sed -n 's/^requires-python = ">=\([0-9.]*\)"$/\1/p' pyproject.toml)
if ! "$PYTHON" -c "import sys; sys.exit(sys.version_info[:3] < tuple(map(int, '$FLOOR'.split('.'))))" 2>/dev/null; then
  echo "Python $FLOOR or newer is needed (found: $("$PYTHON" --version 2>&1)). Set PYTHON=/path/to/python3 and run again." >&2
  exit 1
fi

missing=()
if dpkg-query -S "$(readlink -f "$(command -v "$PYTHON")")" >/dev/null 2>&1; then
  DEB_PACKAGES+=(python3-venv)  # Debian's own Python needs it to create .venv
fi
for pkg in "${DEB_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
  if [ "$(id -u)" -eq 0 ]; then
    echo "· Installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >/dev/null
    apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "These Debian packages are missing: ${missing[*]}" >&2
    echo "Install them, then run this script again:  sudo apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi

if [ ! -x .venv/bin/python ]; then
  echo "· Creating the virtual environment .venv"
  "$PYTHON" -m venv .venv
fi
echo "· Installing Python packages (pinned in requirements.lock)"
.venv/bin/python -m pip install -q --disable-pip-version-check -r requirements.lock
.venv/bin/python -m pip install -q --disable-pip-version-check --no-deps --no-build-isolation -e .

# Optional: the Nu HTML checker (tests/tools/package.json, run with Java) where npm and java are installed;
# without them tests/test_site_html.py says it skipped.
if command -v npm >/dev/null && command -v java >/dev/null; then
  echo "· Installing the Nu HTML checker (npm ci in tests/tools)"
  npm ci --prefix tests/tools --no-audit --no-fund --silent
else
  echo "· npm or java not found: the Nu HTML checker test will be skipped (optional: apt-get install npm default-jre-headless)"
fi

if [ "${1:-}" != "--no-build" ]; then
  echo "· Building the site and the PDF"
  .venv/bin/python build.py
fi
