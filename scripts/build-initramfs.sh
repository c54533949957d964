#!/usr/bin/env bash
# Builds the two busybox initramfs images the Linux guest tests boot (see ../docs/vmm.md):
#   marker.cpio.gz  /init mounts /proc and /sys, prints /proc/cpuinfo and the marker line, powers off.
#   virtio.cpio.gz  additionally insmods virtio, virtio_ring, virtio_mmio, failover, net_failover,
#                   virtio_net and virtio_console from the kernel package (no modules.dep is shipped, so
#                   /init loads them in dependency order), prints the eth0 MAC, optionally configures eth0
#                   and pings a peer (kernel command line l4re.ip=ADDR/PREFIX l4re.ping=ADDR), writes a line to
#                   every virtio console (/dev/hvc*) and, with l4re.linger=SECONDS, stays up that long before
#                   powering off (so that a peer still pinging gets its replies).
# Input: the Debian guest software scripts/fetch-guest.sh downloaded (run it first).
# Usage: scripts/build-initramfs.sh [CACHE_DIR]   (default: $L4RE_CACHE, else .cache at the repository root)
# Result: CACHE_DIR/initramfs/{marker,virtio}.cpio.gz and manifest.txt. Images are reproducible
# (fixed owners and mtimes, cpio --reproducible, gzip -n) and rebuilt only when the inputs change.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cache=${1:-${L4RE_CACHE:-$root/.cache}}
guest=$cache/debian-mipsel
out=$cache/initramfs
marker="L4RE-GUEST-MARKER: /init reached"

[[ -f $guest/manifest.txt ]] || { echo "build-initramfs: $guest/manifest.txt missing: run scripts/fetch-guest.sh first" >&2; exit 2; }
for tool in cpio gzip sha256sum; do
    command -v $tool >/dev/null || { echo "build-initramfs: $tool not found (Debian package: $tool)" >&2; exit 2; }
done

get() { sed -n "s/^$1=//p" "$guest/manifest.txt"; }
busybox=$guest/$(get busybox)
moddir=$guest/$(get modules)
kv=$(basename "$moddir")
[[ -x $busybox ]] || { echo "build-initramfs: $busybox missing" >&2; exit 2; }

# Dependency order (from each module's .modinfo depends=): virtio_mmio needs virtio + virtio_ring,
# net_failover needs failover, virtio_net needs virtio_ring + virtio + net_failover.
modules=(
    kernel/drivers/virtio/virtio.ko
    kernel/drivers/virtio/virtio_ring.ko
    kernel/drivers/virtio/virtio_mmio.ko
    kernel/net/core/failover.ko
    kernel/drivers/net/net_failover.ko
    kernel/drivers/net/virtio_net.ko
    kernel/drivers/char/virtio_console.ko
)
for m in "${modules[@]}"; do
    [[ -f $moddir/$m ]] || { echo "build-initramfs: module $moddir/$m missing" >&2; exit 2; }
done

stamp=$( { cat "$0"; head -n1 "$guest/manifest.txt"; sha256sum "$busybox" "${modules[@]/#/$moddir/}"; } | sha256sum | cut -d' ' -f1)
if [[ -f $out/manifest.txt ]] && grep -qx "stamp=$stamp" "$out/manifest.txt" \
   && [[ -f $out/marker.cpio.gz && -f $out/virtio.cpio.gz ]]; then
    echo "build-initramfs: cached ($out)"
    exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Common skeleton: busybox, the mount points, applet links made at boot by busybox --install.
skeleton() {
    local dir=$1
    mkdir -p "$dir"/{bin,sbin,dev,proc,sys,tmp,root}
    cp "$busybox" "$dir/bin/busybox"
    chmod 0755 "$dir/bin/busybox"
}

common_start='#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin:/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
echo "l4re-initramfs: $(uname -r) on $(uname -m)"
'
# The sleep lets a polled UART (QEMU's Malta in scripts/bench-boot.sh) drain before the power-off.
common_end="cat /proc/cpuinfo
echo \"$marker\"
sleep 1
poweroff -f
"

# 1. marker image
skeleton "$work/marker"
printf '%s%s' "$common_start" "$common_end" > "$work/marker/init"

# 2. virtio image
skeleton "$work/virtio"
for m in "${modules[@]}"; do
    install -D -m 0644 "$moddir/$m" "$work/virtio/lib/modules/$kv/$m"
done
{
    printf '%s' "$common_start"
    echo "M=/lib/modules/$kv"
    for m in "${modules[@]}"; do
        echo "insmod \$M/$m || echo \"l4re-initramfs: insmod $(basename "$m") failed\""
    done
    cat <<'INIT'
if [ -e /sys/class/net/eth0/address ]; then
    echo "l4re-initramfs: eth0 mac $(cat /sys/class/net/eth0/address)"
else
    echo "l4re-initramfs: no eth0"
fi
# devtmpfs shows hvc0..hvc7; only consoles with a virtio port behind them open.
for c in /dev/hvc*; do
    if { echo "l4re-initramfs: hello over $c" > "$c"; } 2>/dev/null; then
        echo "l4re-initramfs: virtio console $c"
    fi
done
for arg in $(cat /proc/cmdline); do
    case $arg in
        l4re.ip=*) ip=${arg#l4re.ip=} ;;
        l4re.ping=*) peer=${arg#l4re.ping=} ;;
        l4re.linger=*) linger=${arg#l4re.linger=} ;;
    esac
done
if [ -n "$ip" ]; then
    ip link set eth0 up && ip addr add "$ip" dev eth0 && echo "l4re-initramfs: eth0 $ip"
fi
if [ -n "$peer" ]; then
    # The peer may still be booting: probe until it answers (at most 20 s), then measure with ping -c 3.
    i=0
    until ping -c 1 -W 1 "$peer" >/dev/null 2>&1 || [ $i -ge 20 ]; do i=$((i + 1)); done
    echo "l4re-initramfs: peer $peer reachable after $i probes"
    ping -c 3 "$peer"
    echo "l4re-initramfs: ping exit $?"
fi
# Stay up so that a peer still pinging gets its replies.
[ -n "$linger" ] && sleep "$linger"
INIT
    printf '%s' "$common_end"
} > "$work/virtio/init"

mkdir -p "$out"
for image in marker virtio; do
    chmod 0755 "$work/$image/init"
    find "$work/$image" -exec touch -h -d @0 {} +
    (cd "$work/$image" && find . -mindepth 1 | LC_ALL=C sort \
        | cpio --quiet --reproducible -o -H newc -R 0:0) | gzip -9 -n > "$out/$image.cpio.gz.tmp"
    mv "$out/$image.cpio.gz.tmp" "$out/$image.cpio.gz"
done

{
    echo "stamp=$stamp"
    echo "kernel=$(head -n1 "$guest/manifest.txt")"
    echo "marker=$marker"
    echo "marker.cpio.gz=$(sha256sum "$out/marker.cpio.gz" | cut -d' ' -f1)"
    echo "virtio.cpio.gz=$(sha256sum "$out/virtio.cpio.gz" | cut -d' ' -f1)"
} > "$out/manifest.txt"
echo "build-initramfs: $(du -h "$out/marker.cpio.gz" | cut -f1) marker.cpio.gz, $(du -h "$out/virtio.cpio.gz" | cut -f1) virtio.cpio.gz in $out"
