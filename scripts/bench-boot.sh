#!/usr/bin/env bash
# Boot-to-marker benchmark (issue 5): the same Debian mips32r2el kernel and busybox marker initramfs, booted
#   (a) by us:  l4re boot --until MARKER (the uvmm model: P5600 engine in VZ guest mode, our device tree)
#   (b) by QEMU: qemu-system-mipsel -M malta (TCG, 24Kf CPU) with a 7-instruction boot stub as the BIOS that does
#       what our VMM does — UHI boot (a0 = -2, a1 = DTB), Status.ERL/BEV clear, jump to the ELF entry — and a DTB
#       describing Malta's RAM, CPU interrupt controller and the polled CBUS 16550 (../shared/reference/guest-images.md).
# measured in one run, alternating, RUNS times each. Prints one line per run and a summary (median wall time to
# the marker line, our guest instruction count, ratio). QEMU 7.2 has no instruction counter without TCG plugins
# (Debian does not ship them), so QEMU's instruction count is not measured here.
# Usage: scripts/bench-boot.sh [RUNS]   (default 3; needs .NET, qemu-system-mips, binutils-mipsel-linux-gnu, dtc,
#        the cache of scripts/fetch-guest.sh + scripts/build-initramfs.sh, and a Release build of L4Re.Cli)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cache=${L4RE_CACHE:-$root/.cache}
runs=${1:-3}
l4re=$root/artifacts/bin/L4Re.Cli/release/l4re.dll
guest=$cache/debian-mipsel
get() { sed -n "s/^$1=//p" "$guest/manifest.txt"; }
[[ -f $guest/manifest.txt ]] || { echo "bench-boot: run scripts/fetch-guest.sh first" >&2; exit 2; }
kernel=$guest/$(get kernel)
initrd=$cache/initramfs/marker.cpio.gz
marker=$(sed -n 's/^marker=//p' "$cache/initramfs/manifest.txt")
[[ -f $initrd ]] || { echo "bench-boot: run scripts/build-initramfs.sh first" >&2; exit 2; }
[[ -f $l4re ]] || { echo "bench-boot: build first: dotnet build -c Release L4Re.Cli" >&2; exit 2; }
for tool in qemu-system-mipsel mipsel-linux-gnu-as mipsel-linux-gnu-ld mipsel-linux-gnu-objcopy mipsel-linux-gnu-readelf dtc dotnet; do
    command -v $tool >/dev/null || { echo "bench-boot: $tool not found" >&2; exit 2; }
done

work=$(mktemp -d)
trap '[[ -n ${KEEP_WORK:-} ]] || rm -rf "$work"' EXIT

# Guest-physical layout for QEMU (Malta RAM at 0; the kernel ELF loads at 0x01130000 and ends below 0x01b00000).
entry=$(mipsel-linux-gnu-readelf -h "$kernel" | awk '/Entry point/ {print $4}')
load=$(mipsel-linux-gnu-readelf -l "$kernel" | awk '$1 == "LOAD" {print $3; exit}')
kernel_phys=$(printf '0x%08x' $((load & 0x1fffffff)))
dtb_phys=0x01f00000
initrd_phys=0x02000000
initrd_size=$(stat -c %s "$initrd")
initrd_end=$(printf '0x%08x' $((initrd_phys + initrd_size)))

mipsel-linux-gnu-objcopy -O binary "$kernel" "$work/kernel.bin"

cat > "$work/malta.dts" <<DTS
/dts-v1/;
/ {
    #address-cells = <1>;
    #size-cells = <1>;
    model = "QEMU Malta (generic kernel, UHI boot stub)";
    compatible = "l4re,qemu-malta-uhi";
    chosen {
        bootargs = "console=ttyS0,115200 earlycon rdinit=/init nokaslr";
        stdout-path = &uart;
        linux,initrd-start = <$initrd_phys>;
        linux,initrd-end = <$initrd_end>;
    };
    cpus {
        #address-cells = <1>;
        #size-cells = <0>;
        cpu@0 { device_type = "cpu"; compatible = "mti,mips24KEc"; reg = <0>; clocks = <&cpu_clk>; };
    };
    /* QEMU's MIPS CPUs run at 200 MHz with CP0 Count at half of it. */
    cpu_clk: cpu-clock { compatible = "fixed-clock"; #clock-cells = <0>; clock-frequency = <200000000>; };
    memory@0 { device_type = "memory"; reg = <0x0 0x0e000000>; };
    cpu_intc: interrupt-controller { compatible = "mti,cpu-interrupt-controller"; interrupt-controller; #interrupt-cells = <1>; #address-cells = <0>; };
    /* Malta's CBUS UART (QEMU: serial_hd(2), regshift 3, base baud 230400), polled: no interrupts property. */
    uart: serial@1f000900 { compatible = "ns16550a"; reg = <0x1f000900 0x100>; reg-shift = <3>; reg-io-width = <4>; clock-frequency = <3686400>; };
};
DTS
dtc -q -I dts -O dtb -o "$work/malta.dtb" "$work/malta.dts"

cat > "$work/stub.S" <<STUB
    .set noreorder
    .text
    .globl _start
_start:
    mtc0 \$zero, \$12          # Status: ERL and BEV clear, kernel mode, interrupts off
    ehb
    li \$a0, -2                # UHI: a0 = -2, a1 = DTB (kseg0), a2 = a3 = 0
    li \$a1, $((0x80000000 | dtb_phys))
    move \$a2, \$zero
    move \$a3, \$zero
    li \$t9, $entry
    jr \$t9
    nop
STUB
mipsel-linux-gnu-as -march=mips32r2 -EL -o "$work/stub.o" "$work/stub.S"
mipsel-linux-gnu-ld -EL -Ttext=0xbfc00000 -e _start -o "$work/stub.elf" "$work/stub.o"
# QEMU's Malta swaps the 32-bit words of a little-endian BIOS image (hw/mips/malta.c: bi-endian firmware trick).
mipsel-linux-gnu-objcopy -O binary -j .text --reverse-bytes=4 "$work/stub.elf" "$work/stub.bin"

now() { date +%s%N; }
secs() { awk -v ns="$1" 'BEGIN { printf "%.2f", ns / 1e9 }'; }

run_qemu() {
    local out=$work/qemu.txt start end
    : > "$out"
    start=$(now)
    qemu-system-mipsel -M malta -m 256 -nographic -vga none -nic none -monitor none -no-reboot \
        -bios "$work/stub.bin" \
        -device loader,file="$work/kernel.bin",addr=$kernel_phys,force-raw=on \
        -device loader,file="$work/malta.dtb",addr=$dtb_phys,force-raw=on \
        -device loader,file="$initrd",addr=$initrd_phys,force-raw=on \
        -serial null -serial null -serial file:"$out" >/dev/null 2>&1 &
    local pid=$!
    while ! grep -qF "$marker" "$out" 2>/dev/null; do
        if ! kill -0 $pid 2>/dev/null; then echo "bench-boot: QEMU exited before the marker (console: $out)" >&2; tail -5 "$out" >&2; return 1; fi
        if (( $(now) - start > 300000000000 )); then kill $pid; echo "bench-boot: QEMU timed out" >&2; return 1; fi
        sleep 0.01
    done
    end=$(now)
    kill $pid 2>/dev/null; wait $pid 2>/dev/null || true
    grep -q "cpu model" "$out" || { echo "bench-boot: QEMU guest printed no /proc/cpuinfo" >&2; return 1; }
    secs $((end - start))
}

run_l4re() {
    local start end report
    start=$(now)
    report=$(dotnet "$l4re" boot --kernel "$kernel" --initrd "$initrd" --until "$marker" --max-seconds 900 2>&1 >/dev/null | grep '^boot:')
    end=$(now)
    [[ $report == *appeared* ]] || { echo "bench-boot: l4re boot did not reach the marker: $report" >&2; return 1; }
    # "boot: ...; 3,853,584,123 guest instructions, 12.0 s virtual, 23.1 s wall (167 M instr/s)"
    local insns=$(sed -E 's/.*; ([0-9,]+) guest instructions.*/\1/' <<<"$report" | tr -d ,)
    local inner=$(sed -E 's/.* ([0-9.]+) s wall.*/\1/' <<<"$report")
    echo "$(secs $((end - start))) $inner $insns"
}

echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "qemu: $(qemu-system-mipsel --version | head -1); dotnet $(dotnet --version)"
echo "kernel: $(head -n1 "$guest/manifest.txt"), initrd: marker.cpio.gz ($initrd_size bytes)"
qemu_times=() l4re_times=() insns=""
[[ -n ${PREPARE_ONLY:-} ]] && { echo "work: $work"; exit 0; }
for i in $(seq 1 "$runs"); do
    q=$(run_qemu)
    read -r l inner n <<<"$(run_l4re)"
    echo "run $i: qemu ${q} s; l4re ${l} s (boot loop ${inner} s, $n guest instructions)"
    qemu_times+=("$q"); l4re_times+=("$l"); insns=$n
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
mq=$(median "${qemu_times[@]}")
ml=$(median "${l4re_times[@]}")
echo "median: qemu ${mq} s, l4re ${ml} s (${insns} guest instructions, $(awk -v n="$insns" -v t="$ml" 'BEGIN { printf "%.0f", n / t / 1e6 }') M instr/s), ratio $(awk -v a="$ml" -v b="$mq" 'BEGIN { printf "%.1f", a / b }')x"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
