#!/usr/bin/env bash
# Copy the built front-end files we serve into static/vendor/, from the exact versions pinned in
# scripts/vendor/package.json + package-lock.json.
#
#   bash scripts/vendor/vendor.sh      (or: make vendor)
#
# `npm ci` runs in a throw-away copy, so no node_modules/ ever appears in the work tree. Only the
# built files and their licence texts are copied; commit static/vendor/ afterwards. Run-time and CI
# need no npm. To move to a new version: edit package.json (exact version), run
# `npm install --package-lock-only` in scripts/vendor/, then run this script.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
dest="$root/static/vendor"
site_packages="${SITE_PACKAGES:-$root/.venv/lib/python3.11/site-packages}"

command -v npm >/dev/null || { echo "vendor.sh: npm is needed (Debian: apt-get install nodejs npm)" >&2; exit 1; }

work="$(mktemp -d "${TMPDIR:-/tmp}/shanglian-vendor.XXXXXX")"
trap 'rm -rf "$work"' EXIT

cp "$here/package.json" "$here/package-lock.json" "$here/.npmrc" "$work/"
(cd "$work" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
nm="$work/node_modules"

# pkg_field DIR FIELD: one field of a package's package.json
pkg_field() { node -e 'const p=require(process.argv[1]+"/package.json"); process.stdout.write(String(p[process.argv[2]]))' "$1" "$2"; }

# copy SRC DST: copy one file, failing loudly if the package layout changed
copy() {
    [[ -f "$1" ]] || { echo "vendor.sh: missing $1 (did the package layout change?)" >&2; exit 1; }
    mkdir -p "$(dirname "$2")"
    cp "$1" "$2"
}

rm -rf "$dest/alpinejs-csp" "$dest/echarts" "$dest/jsqr"

# Alpine.js, CSP build (no eval; works under our script-src 'self' 'nonce-…' policy).
# The bundle includes @vue/reactivity, so its licence goes beside it too.
alp="$nm/@alpinejs/csp"
copy "$alp/dist/cdn.min.js" "$dest/alpinejs-csp/alpine-csp.min.js"
if [[ -f "$alp/LICENSE" || -f "$alp/LICENSE.md" ]]; then
    copy "$(ls "$alp"/LICENSE* | head -n1)" "$dest/alpinejs-csp/LICENSE"
else   # the npm package ships no licence file: use the upstream MIT text kept in licenses/
    copy "$here/licenses/alpinejs.LICENSE.md" "$dest/alpinejs-csp/LICENSE"
fi
copy "$nm/@vue/reactivity/LICENSE" "$dest/alpinejs-csp/LICENSE.vue-reactivity"

# Apache ECharts (Apache-2.0: LICENSE and NOTICE travel with it). The bundle includes zrender
# (BSD-3-Clause), tslib helpers (0BSD) and pieces of d3 (BSD-3-Clause).
ech="$nm/echarts"
copy "$ech/dist/echarts.min.js" "$dest/echarts/echarts.min.js"
copy "$ech/LICENSE" "$dest/echarts/LICENSE"
copy "$ech/NOTICE" "$dest/echarts/NOTICE"
copy "$ech/licenses/LICENSE-d3" "$dest/echarts/LICENSE.d3"
copy "$nm/zrender/LICENSE" "$dest/echarts/LICENSE.zrender"
copy "$nm/tslib/LICENSE.txt" "$dest/echarts/LICENSE.tslib"

# jsQR (Apache-2.0, no NOTICE file): the QR decoder behind static/shanglian/qrscan.js (the door's
# scanner and the invitee's self check-in). The UMD build exposes window.jsQR; it has no dependencies.
jsq="$nm/jsqr"
copy "$jsq/dist/jsQR.js" "$dest/jsqr/jsQR.js"
copy "$jsq/LICENSE" "$dest/jsqr/LICENSE"

# htmx is not copied: django-htmx serves its own copy ({% load django_htmx %}{% htmx_script %}).
htmx_line="htmx	(unknown: .venv missing)	0BSD	django_htmx/static/django_htmx/htmx-2.min.js	served by django-htmx (not copied)"
htmx_file="$site_packages/django_htmx/static/django_htmx/htmx-2.min.js"
if [[ -f "$htmx_file" ]]; then
    htmx_version="$(grep -o 'version:"[0-9][0-9.]*"' "$htmx_file" | head -n1 | cut -d'"' -f2)"
    dj_htmx_version="$(ls -d "$site_packages"/django_htmx-*.dist-info 2>/dev/null | sed -E 's/.*django_htmx-(.*)\.dist-info/\1/' | head -n1)"
    htmx_line="htmx	${htmx_version:-unknown}	0BSD	django-htmx ${dj_htmx_version:-?}: django_htmx/static/django_htmx/htmx-2.min.js	served by django-htmx (not copied)"
fi

{
    echo "# Front-end files in static/vendor/, written by scripts/vendor/vendor.sh — do not edit by hand."
    echo "# Versions are pinned in scripts/vendor/package.json and package-lock.json."
    echo "# name	version	license	source file (in the npm package)	copied to"
    printf '%s\t%s\t%s\t%s\t%s\n' "@alpinejs/csp" "$(pkg_field "$alp" version)" "$(pkg_field "$alp" license)" \
        "dist/cdn.min.js" "alpinejs-csp/alpine-csp.min.js"
    printf '%s\t%s\t%s\t%s\t%s\n' "  bundled: @vue/reactivity" "$(pkg_field "$nm/@vue/reactivity" version)" \
        "$(pkg_field "$nm/@vue/reactivity" license)" "(inside dist/cdn.min.js)" "alpinejs-csp/LICENSE.vue-reactivity"
    printf '%s\t%s\t%s\t%s\t%s\n' "echarts" "$(pkg_field "$ech" version)" "$(pkg_field "$ech" license)" \
        "dist/echarts.min.js" "echarts/echarts.min.js"
    printf '%s\t%s\t%s\t%s\t%s\n' "  bundled: zrender" "$(pkg_field "$nm/zrender" version)" \
        "$(pkg_field "$nm/zrender" license)" "(inside dist/echarts.min.js)" "echarts/LICENSE.zrender"
    printf '%s\t%s\t%s\t%s\t%s\n' "  bundled: tslib" "$(pkg_field "$nm/tslib" version)" \
        "$(pkg_field "$nm/tslib" license)" "(inside dist/echarts.min.js)" "echarts/LICENSE.tslib"
    printf '%s\t%s\t%s\t%s\t%s\n' "jsqr" "$(pkg_field "$jsq" version)" "$(pkg_field "$jsq" license)" \
        "dist/jsQR.js" "jsqr/jsQR.js"
    echo "$htmx_line"
} > "$dest/VERSIONS.txt"

echo "vendor.sh: updated $dest"
(cd "$dest" && find . -type f | sort | while read -r f; do printf '  %8s  %s\n' "$(wc -c <"$f")" "${f#./}"; done)
