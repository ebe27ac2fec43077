#!/usr/bin/env bash
# Boots the full guest image (guest/build-image.sh's output) under QEMU TCG with a virtio-gpu display, waits for the
# kiosk (Cage + terminal), saves a screenshot taken with QEMU's screendump, then types `exit` into the terminal and
# checks that the guest powered itself off, QEMU exited, and the base image is unchanged.
# Usage: check-kiosk.sh IMAGE_DIR [PNG_OUT]     (PNG_OUT default: docs/kiosk.png beside guest/)
# Exit: 0 all checks passed, 1 a check failed (the serial log tail is printed), 2 usage.
set -euo pipefail

[ $# -ge 1 ] && [ $# -le 2 ] || { sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
image=$(cd "$1" && pwd)
png=${2:-$here/../docs/kiosk.png}
for f in vmlinuz initrd.img rootfs.ext4; do
    [ -f "$image/$f" ] || { echo "check-kiosk.sh: $image/$f missing: run guest/build-image.sh $1 first" >&2; exit 2; }
done
for tool in qemu-system-x86_64 socat python3 ssh-keygen; do
    command -v "$tool" >/dev/null 2>&1 || { echo "check-kiosk.sh: $tool not found" >&2; exit 2; }
done

rt=$(mktemp -d)          # 0700, private: serial log, monitor socket, screenshots, the session key
qemu_pid=""
cleanup() {
    if [ -n "$qemu_pid" ] && kill -0 "$qemu_pid" 2>/dev/null; then kill -9 "$qemu_pid" 2>/dev/null || true; fi
    rm -rf "$rt"
}
trap cleanup EXIT
fail() {
    echo "check-kiosk.sh: FAILED: $*" >&2
    echo "--- serial log tail ---" >&2
    tail -25 "$rt/serial.log" >&2 || true
    if [ -f "$rt/serial.log" ]; then
        kept=$(mktemp --suffix=-check-kiosk-serial.log)
        cp "$rt/serial.log" "$kept" && echo "check-kiosk.sh: full serial log kept in $kept" >&2
    fi
    exit 1
}
monitor() { printf '%s\n' "$*" | socat - "UNIX-CONNECT:$rt/monitor.sock" > /dev/null; }
elapsed() { awk "BEGIN {printf \"%.1f\", ($(date +%s%N) - $t0) / 1e9}"; }

before=$(sha256sum "$image/rootfs.ext4" | cut -d' ' -f1)
ssh-keygen -q -t ed25519 -N '' -C '' -f "$rt/id"
pub=$(cut -d' ' -f2 "$rt/id.pub")
cmdline="console=ttyS0 root=/dev/vda ro rootfstype=ext4 virtualghost.overlay=tmpfs virtualghost.renderer=pixman"
cmdline="$cmdline virtualghost.authorized_key=ssh-ed25519:$pub"

t0=$(date +%s%N)
qemu-system-x86_64 -accel tcg -M q35 -m 2048 -smp 2 -no-reboot -nodefaults \
    -vga none -device virtio-gpu-pci -display none \
    -kernel "$image/vmlinuz" -initrd "$image/initrd.img" -append "$cmdline" \
    -drive "file=$image/rootfs.ext4,format=raw,if=virtio,readonly=on" \
    -serial "file:$rt/serial.log" -monitor "unix:$rt/monitor.sock,server=on,wait=off" \
    > "$rt/qemu.log" 2>&1 &
qemu_pid=$!

# 1. The key hand-off on the serial console.
for _ in $(seq 1 600); do
    grep -q 'VIRTUALGHOST-READY' "$rt/serial.log" 2>/dev/null && break
    kill -0 "$qemu_pid" 2>/dev/null || fail "QEMU exited early: $(cat "$rt/qemu.log")"
    sleep 0.2
done
grep -q 'VIRTUALGHOST-READY' "$rt/serial.log" || fail "no VIRTUALGHOST-READY within 120 s"
grep -aq 'VIRTUALGHOST-HOSTKEY ssh-ed25519 ' "$rt/serial.log" || fail "no VIRTUALGHOST-HOSTKEY ssh-ed25519 line"
echo "check-kiosk.sh: host key announced and sshd on vsock 22 after $(elapsed) s"

# 2. The kiosk: the screen turns from the black console to the terminal's background with a prompt drawn on it.
shown=""
for _ in $(seq 1 90); do
    monitor "screendump $rt/screen.ppm"
    sleep 1
    [ -s "$rt/screen.ppm" ] || continue
    read -r size dominant other < <(python3 "$here/ppm2png.py" --stats "$rt/screen.ppm" | tr ' ' '\n' | cut -d= -f2 | paste -sd' ')
    if [ "${dominant:-000000}" != 000000 ] && [ "${other:-0}" -gt 200 ]; then shown=1; break; fi
    kill -0 "$qemu_pid" 2>/dev/null || fail "QEMU exited before the kiosk showed"
done
[ -n "$shown" ] || fail "the kiosk did not show within 90 s of READY (last screen: dominant ${dominant:-?}, other ${other:-?})"
echo "check-kiosk.sh: kiosk on screen ($size) after $(elapsed) s"
sleep 2
monitor "screendump $rt/screen.ppm"
sleep 1
mkdir -p "$(dirname "$png")"
echo "check-kiosk.sh: $(python3 "$here/ppm2png.py" "$rt/screen.ppm" "$png") -> $png"

# 3. End the terminal: the first key only focuses the output, then `exit` + Return.
monitor "sendkey ret"
sleep 1
for k in e x i t ret; do monitor "sendkey $k"; sleep 0.2; done
t1=$(date +%s%N)
for _ in $(seq 1 300); do kill -0 "$qemu_pid" 2>/dev/null || break; sleep 0.1; done
kill -0 "$qemu_pid" 2>/dev/null && fail "QEMU still running 30 s after exit was typed in the terminal"
wait "$qemu_pid" && rc=0 || rc=$?
qemu_pid=""
[ "$rc" -eq 0 ] || fail "QEMU exited with status $rc"
grep -aq 'reboot: Power down' "$rt/serial.log" || fail "QEMU exited but the guest did not power off"
echo "check-kiosk.sh: guest powered off, QEMU gone $(awk "BEGIN {printf \"%.1f\", ($(date +%s%N) - $t1) / 1e9}") s after exit"

after=$(sha256sum "$image/rootfs.ext4" | cut -d' ' -f1)
[ "$before" = "$after" ] || fail "the base image changed ($before -> $after)"
echo "check-kiosk.sh: base image unchanged (sha256 $after); all checks passed in $(elapsed) s"
