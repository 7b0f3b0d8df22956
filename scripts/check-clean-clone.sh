#!/usr/bin/env bash
# Prove that CI passes from scratch: clone the committed HEAD into a temporary directory (with
# ../shared beside it, as CI has) and run `bash .ci/run` there with CI=true and no stdin.
# Only committed work is tested: commit first. KEEP=1 keeps the clone for a look afterwards.
#
#   scripts/check-clean-clone.sh
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

if ! git rev-parse --verify -q HEAD >/dev/null; then
    echo "check-clean-clone: no commit yet: nothing to clone" >&2
    exit 1
fi
if [[ -n "$(git status --porcelain --untracked-files=normal)" ]]; then
    echo "check-clean-clone: warning: the work tree has uncommitted changes; they are NOT in the clone" >&2
fi

tmp="$(mktemp -d /tmp/shanglian-clone.XXXXXX)"
cleanup() { if [[ ${KEEP:-0} == 1 ]]; then echo "check-clean-clone: kept $tmp" >&2; else rm -rf "$tmp"; fi; }
trap cleanup EXIT

git clone --quiet --no-hardlinks "$root" "$tmp/main"
if [[ -d "$root/../shared" ]]; then
    ln -s "$(cd "$root/../shared" && pwd)" "$tmp/shared"
fi
echo "check-clean-clone: running .ci/run in $tmp/main at $(git -C "$tmp/main" rev-parse --short HEAD)" >&2

start=$(date +%s)
status=0
(cd "$tmp/main" && env CI=true bash .ci/run </dev/null) || status=$?
echo "check-clean-clone: .ci/run exited $status after $(( $(date +%s) - start )) s" >&2
exit "$status"
