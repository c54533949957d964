#!/usr/bin/env bash
# Downloads real MIPS guest software from Debian's mipsel archive into a cache folder, without
# touching the host's dpkg state (see ../shared/reference/guest-images.md in the steering repo):
#   - the current MIPS "generic" kernel linux-image-<abi>-mips32r2el (resolved from the metapackage)
#   - busybox-static for mipsel
# Usage: scripts/fetch-guest.sh [CACHE_DIR]   (default: .cache at the repository root)
# Result: CACHE_DIR/debian-mipsel/{kernel,busybox}/… and CACHE_DIR/debian-mipsel/manifest.txt.
# A complete cache younger than a day is reused.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cache=${1:-$root/.cache}
out=$cache/debian-mipsel
manifest=$out/manifest.txt

if [[ -f $manifest ]] && [[ -n $(find "$manifest" -mmin -1440 2>/dev/null) ]]; then
    echo "fetch-guest: cached ($(head -n1 "$manifest"))"
    exit 0
fi
command -v apt-get >/dev/null || { echo "fetch-guest: apt-get not found" >&2; exit 2; }
command -v dpkg >/dev/null || { echo "fetch-guest: dpkg not found" >&2; exit 2; }

work=$cache/apt-mipsel
mkdir -p "$work/lists/partial" "$work/cache/archives/partial" "$out"
apt_opts=(-o APT::Architecture=mipsel -o APT::Architectures=mipsel
          -o "Dir::State::Lists=$work/lists" -o "Dir::Cache=$work/cache"
          -o Dir::State::status=/dev/null -o Debug::NoLocking=1 -q)

apt-get "${apt_opts[@]}" update >/dev/null
kv=$(apt-cache "${apt_opts[@]}" depends linux-image-mips32r2el \
     | sed -n 's/.*Depends: linux-image-\(.*\)-mips32r2el$/\1/p' | head -n1)
[[ -n $kv ]] || { echo "fetch-guest: cannot resolve linux-image-mips32r2el" >&2; exit 1; }

dl=$work/debs
rm -rf "$dl" && mkdir -p "$dl"
(cd "$dl" && apt-get "${apt_opts[@]}" download busybox-static "linux-image-$kv-mips32r2el" >/dev/null)

rm -rf "$out/kernel" "$out/busybox"
dpkg -x "$dl"/linux-image-"$kv"-mips32r2el_*.deb "$out/kernel"
dpkg -x "$dl"/busybox-static_*.deb "$out/busybox"
rm -rf "$dl"

vmlinuz=$(ls "$out"/kernel/boot/vmlinuz-*)
{
    echo "linux-image-$kv-mips32r2el"
    echo "kernel=${vmlinuz#$out/}"
    echo "modules=kernel/lib/modules/$kv-mips32r2el"
    echo "busybox=busybox/bin/busybox"
} > "$manifest"
echo "fetch-guest: $(head -n1 "$manifest") and busybox-static in $out"
