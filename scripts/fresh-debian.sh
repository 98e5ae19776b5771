#!/usr/bin/env bash
# Prove the README's quick start on a fresh, minimal Debian root, as a newcomer would run it.
#
#   bash scripts/fresh-debian.sh SUITE [--cache DIR]      SUITE: bookworm (Debian 12) or trixie (Debian 13)
#
# Needs root and debootstrap. The first run of a suite builds a minimal root (debootstrap minbase with
# python3, python3-venv and git) from the Debian mirror this machine's apt sources name, and keeps it
# as DIR/SUITE.tar (default DIR: /var/cache/callguide-fresh). Every run then unpacks a fresh copy of
# that pristine root, so nothing one run installed can hide a missing step from the next; clones the
# committed state of this repository into it with ../shared beside it (read-only, as in CI); and runs
# the README's quick-start commands exactly as written (scripts/quickstart.sh reads them from README.md)
# through chroot with a clean environment. Downloaded .deb files and pip's cache are kept in DIR between
# runs: they save downloads, never an install step. Mounts are always undone and the copy removed.
set -euo pipefail

usage() { # the comment above, on stdout for --help, on stderr after a mistake
  if [ "${1:-2}" -eq 0 ]; then sed -n '2,/^set /{/^#/s/^# \{0,1\}//p}' "$0"; else echo "usage: $(sed -n '4s/^#   //p' "$0")" >&2; fi
  exit "${1:-2}"
}
SUITE=${1:-}
shift || true
CACHE=/var/cache/callguide-fresh
while (($#)); do
  case $1 in
    --cache) CACHE=${2:?--cache needs a folder}; shift 2 ;;
    -h | --help) usage 0 ;;
    *) usage ;;
  esac
done
case $SUITE in
  -h | --help) usage 0 ;;
  bookworm | trixie) ;;
  *) usage ;;
esac
if [ "$(id -u)" -ne 0 ]; then
  echo "fresh-debian: needs root (debootstrap, chroot and mounts)" >&2
  exit 2
fi
command -v debootstrap >/dev/null || { echo "fresh-debian: debootstrap is missing: apt-get install debootstrap" >&2; exit 2; }

REPO=$(cd "$(dirname "$0")/.." && pwd)
SHARED=$(cd "$REPO/.." && pwd)/shared
[ -d "$SHARED" ] || { echo "fresh-debian: $SHARED is missing (the repository expects ../shared)" >&2; exit 2; }

# The Debian archive this machine's apt uses: the URI of the sources entry for its own release
# (deb822 .sources files or one-line sources.list), never a host name of ours.
mirror() {
  local codename
  codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
  local f files=()
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] && files+=("$f")
  done
  ((${#files[@]})) || return 0
  cat "${files[@]}" |
    awk -v want="$codename" '
      function pick(uri) { if (uri != "" && !found) { print uri; found = 1 } }
      /^deb / { for (i = 2; i <= NF; i++) if ($i !~ /^\[/ && $i !~ /\]$/) break;
                if ($(i + 1) == want) pick($i); next }
      /^[A-Za-z-]+:/ { key = $1; sub(/:$/, "", key); $1 = ""; sub(/^ /, ""); f[key] = $0; next }
      /^[[:space:]]*$/ { flush() }
      function flush() {
        if (f["Types"] ~ /(^| )deb( |$)/) { n = split(f["Suites"], s, " ");
          for (j = 1; j <= n; j++) if (s[j] == want) { split(f["URIs"], u, " "); pick(u[1]) } }
        delete f
      }
      END { flush() }'
}
MIRROR=$(mirror)
[ -n "$MIRROR" ] || { echo "fresh-debian: no Debian mirror found in /etc/apt/sources*" >&2; exit 2; }

mkdir -p "$CACHE/$SUITE-debs" "$CACHE/pip"
PRISTINE=$CACHE/$SUITE.tar
if [ ! -s "$PRISTINE" ]; then
  echo "· Building the pristine $SUITE root (debootstrap minbase, once; kept as $PRISTINE)"
  boot=$(mktemp -d /var/tmp/callguide-debootstrap.XXXXXX)
  debootstrap --variant=minbase --include=python3,python3-venv,git "$SUITE" "$boot" "$MIRROR" \
    >"$boot.log" 2>&1 || { tail -20 "$boot.log" >&2; rm -rf --one-file-system "$boot"; exit 1; }
  tar -C "$boot" --numeric-owner -cf "$PRISTINE.part" . && mv "$PRISTINE.part" "$PRISTINE"
  rm -rf --one-file-system "$boot" "$boot.log"
fi

WORK=$(mktemp -d /var/tmp/callguide-fresh-"$SUITE".XXXXXX)
ROOT=$WORK/root
MOUNTS=()
cleanup() {
  local i
  for ((i = ${#MOUNTS[@]} - 1; i >= 0; i--)); do
    umount -R "${MOUNTS[i]}" 2>/dev/null || umount -R -l "${MOUNTS[i]}" 2>/dev/null || true
  done
  if findmnt -rn -o TARGET | grep -q "^$WORK"; then
    echo "fresh-debian: mounts under $WORK remain; not removing it" >&2
  else
    rm -rf --one-file-system "$WORK"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
bind() { # bind SRC DEST (inside the root)
  mkdir -p "$ROOT$2"
  mount --rbind "$1" "$ROOT$2"
  mount --make-rslave "$ROOT$2"
  MOUNTS+=("$ROOT$2")
}

mkdir -p "$ROOT"
tar -C "$ROOT" --numeric-owner -xf "$PRISTINE"  # the root's own users (_apt), not this machine's

# This machine's network settings, as any machine here has them: name resolution, the apt mirror and
# its options, the certificate authorities HTTPS goes through (for pip).
cp /etc/resolv.conf "$ROOT/etc/resolv.conf"
cp /etc/hosts "$ROOT/etc/hosts"
echo "deb $MIRROR $SUITE main" >"$ROOT/etc/apt/sources.list"
apt-config dump | grep -E '^Acquire::(https?::Proxy|Check-Valid-Until|Check-Date) ' >"$ROOT/etc/apt/apt.conf.d/90machine" || true
if [ -s /etc/ssl/certs/ca-certificates.crt ]; then
  mkdir -p "$ROOT/etc/ssl/certs"
  cp /etc/ssl/certs/ca-certificates.crt "$ROOT/etc/ssl/certs/machine-ca.crt"
  printf '[global]\ncert = /etc/ssl/certs/machine-ca.crt\n' >"$ROOT/etc/pip.conf"
fi

# The project as committed, with ../shared beside it (read-only, as CI lays it).
git clone --quiet --no-local "$REPO" "$ROOT/root/src/callguide"
cp -r "$SHARED" "$ROOT/root/src/shared"
chmod -R a-w "$ROOT/root/src/shared"

mount -t proc proc "$ROOT/proc" && MOUNTS+=("$ROOT/proc")
bind /sys /sys
bind /dev /dev
bind "$CACHE/$SUITE-debs" /var/cache/apt/archives
mkdir -p "$CACHE/$SUITE-debs/partial"
chown "$(chroot "$ROOT" id -u _apt)" "$CACHE/$SUITE-debs/partial"  # apt downloads as _apt
bind "$CACHE/pip" /root/.cache/pip

echo "· Debian $(cat "$ROOT/etc/debian_version") ($SUITE), $(chroot "$ROOT" python3 --version): the README's quick start"
LOG=$WORK/quickstart.log
start=$SECONDS
set +e
env -i HOME=/root TERM=dumb PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  chroot "$ROOT" bash -c 'cd /root/src/callguide && bash scripts/quickstart.sh' 2>&1 | tee "$LOG"
status=${PIPESTATUS[0]}
set -e
echo "  (pip cache: $(du -sh "$CACHE/pip" | cut -f1), downloaded packages: $(du -sh "$CACHE/$SUITE-debs" | cut -f1))"
tests=$(grep -E '^=+ .*(passed|failed|error).* in [0-9.]+s' "$LOG" | tail -1 | sed -E 's/^=+ (.*) =+$/\1/')
steps=$(grep -E '^\(.*: exit [0-9]+, [0-9]+ s\)$' "$LOG" | sed -E 's/^\((.*)\)$/\1/' | paste -sd ';' - | sed 's/;/; /g')
echo "fresh-debian $SUITE: exit $status in $((SECONDS - start)) s; ${steps:-no step finished}; tests: ${tests:-none ran}"
exit "$status"
