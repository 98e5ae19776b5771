#!/usr/bin/env bash
# The README's quick-start commands, read from README.md so that nothing else can drift from it.
#   bash scripts/quickstart.sh --print   print them, one a line
#   bash scripts/quickstart.sh           run them in order from the repository root, each in a fresh
#                                        shell, stopping at the first that fails; prints each one's time
# Used by .ci/run and, inside fresh Debian roots, by scripts/fresh-debian.sh.
set -uo pipefail
cd "$(dirname "$0")/.."

# The first ```sh block after the "## Quick start" heading, its lines as written.
commands() {
  awk '
    /^## / { section = ($0 == "## Quick start") }
    section && /^```sh$/ { inside = 1; next }
    inside && /^```/ { exit }
    inside && NF { print }
  ' README.md
}

mapfile -t COMMANDS < <(commands)
if [ "${#COMMANDS[@]}" -eq 0 ]; then
  echo "README.md has no \`\`\`sh block under \"## Quick start\"" >&2
  exit 2
fi
if [ "${1:-}" = "--print" ]; then
  printf '%s\n' "${COMMANDS[@]}"
  exit 0
fi

for cmd in "${COMMANDS[@]}"; do
  echo "\$ $cmd"
  start=$SECONDS
  bash -c "$cmd"
  status=$?
  shown=${cmd%%#*}
  shown=${shown%"${shown##*[![:space:]]}"}  # without the comment and the spaces before it
  echo "($shown: exit $status, $((SECONDS - start)) s)"
  if [ "$status" -ne 0 ]; then
    exit "$status"
  fi
done
