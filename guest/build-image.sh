#!/usr/bin/env bash
# Builds the VirtualGhost guest image from Debian packages: no Docker, no loop mounts.
#   mmdebstrap (bookworm + updates + security) into a plain directory, guest/rootfs/ copied in, then
#   mkfs.ext4 -d DIR (the file system is written from the directory, never mounted).
# Output in OUT_DIR:
#   vmlinuz        Debian's bzImage (Cloud Hypervisor v54 loads a bzImage directly with --kernel, see README.md)
#   initrd.img     initramfs-tools image with virtio-pci/blk, ext4, overlay and the vsock modules
#   rootfs.ext4    the base image, used read-only by every session (an overlay in RAM takes the writes)
#   manifest.json  package versions, file sizes, SHA-256 (read by the launcher's asset cache)
# Usage: build-image.sh [--ghostty PATH.deb|PATH_TO_BINARY] [--nvidia] [--size 2G] [--suite bookworm] OUT_DIR
set -euo pipefail

die() { echo "build-image.sh: $*" >&2; exit 1; }
usage() { sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
ghostty=""; nvidia=0; size=2G; suite=bookworm; out=""
while [ $# -gt 0 ]; do
    case "$1" in
        --ghostty) [ $# -ge 2 ] || usage; ghostty=$2; shift 2 ;;
        --nvidia) nvidia=1; shift ;;
        --size) [ $# -ge 2 ] || usage; size=$2; shift 2 ;;
        --suite) [ $# -ge 2 ] || usage; suite=$2; shift 2 ;;
        -h|--help) usage ;;
        -*) echo "build-image.sh: unknown option $1" >&2; usage ;;
        *) [ -z "$out" ] || usage; out=$1; shift ;;
    esac
done
[ -n "$out" ] || usage
[ "$(id -u)" -eq 0 ] || die "run as root (mmdebstrap needs it to install packages that chown files; nothing is mounted on the host)"
for tool in mmdebstrap mkfs.ext4 sha256sum python3; do
    command -v "$tool" >/dev/null 2>&1 || die "$tool not found (apt-get install mmdebstrap e2fsprogs python3)"
done
if [ -n "$ghostty" ]; then
    [ -f "$ghostty" ] || die "--ghostty $ghostty: no such file (a .deb or a ghostty binary)"
    ghostty=$(cd "$(dirname "$ghostty")" && pwd)/$(basename "$ghostty")
fi
mkdir -p "$out"
out=$(cd "$out" && pwd)
work=$(mktemp -d "$out/.work.XXXXXX")
trap 'rm -rf "$work"' EXIT
root="$work/root"

components=main
packages=(systemd-sysv udev dbus kmod iproute2 procps linux-image-amd64 initramfs-tools openssh-server
          cage seatd foot fonts-dejavu-core libgl1-mesa-dri libegl-mesa0 libgles2 mesa-vulkan-drivers)
if [ "$nvidia" -eq 1 ]; then
    components="main contrib non-free non-free-firmware"
    # nvidia-driver pulls nvidia-kernel-dkms, which builds the module for the kernel whose headers are present.
    packages+=(nvidia-driver firmware-misc-nonfree linux-headers-amd64)
fi
terminal=foot
ghostty_hooks=()
if [ -n "$ghostty" ]; then
    terminal=ghostty
    case "$ghostty" in
        *.deb) ghostty_hooks=(--customize-hook="copy-in '$ghostty' /tmp"
                              --customize-hook="chroot \"\$1\" apt-get install -y --no-install-recommends '/tmp/$(basename "$ghostty")' && rm -f \"\$1/tmp/$(basename "$ghostty")\"") ;;
        *) ghostty_hooks=(--customize-hook="copy-in '$ghostty' /usr/local/bin"
                          --customize-hook="chmod 0755 \"\$1/usr/local/bin/$(basename "$ghostty")\"") ;;
    esac
fi

mirror=http://deb.debian.org/debian
security=http://deb.debian.org/debian-security
t0=$(date +%s)
echo "build-image.sh: mmdebstrap $suite ($components) into $root, terminal: $terminal"
mmdebstrap --variant=minbase --components="${components// /,}" --include="$(IFS=,; echo "${packages[*]}")" \
    --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
    --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/info/*' \
    --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-include=/usr/share/locale/locale.alias' \
    --dpkgopt='path-exclude=/lib/modules/*/kernel/drivers/net/wireless/*' \
    --dpkgopt='path-exclude=/lib/modules/*/kernel/drivers/net/ethernet/*' \
    --dpkgopt='path-exclude=/lib/modules/*/kernel/drivers/media/*' \
    --dpkgopt='path-exclude=/lib/modules/*/kernel/drivers/infiniband/*' \
    --dpkgopt='path-exclude=/lib/modules/*/kernel/drivers/isdn/*' \
    --dpkgopt='path-exclude=/lib/modules/*/kernel/drivers/staging/*' \
    --dpkgopt='path-exclude=/lib/modules/*/kernel/drivers/bluetooth/*' \
    --dpkgopt='path-exclude=/lib/modules/*/kernel/net/wireless/*' \
    --dpkgopt='path-exclude=/lib/modules/*/kernel/sound/*' \
    "${ghostty_hooks[@]+"${ghostty_hooks[@]}"}" \
    --customize-hook="cp -a '$here/rootfs/.' \"\$1/\"" \
    --customize-hook="chroot \"\$1\" /usr/local/sbin/virtualghost-setup '$terminal'" \
    --customize-hook="chroot \"\$1\" update-initramfs -u -k all" \
    "$suite" "$root" \
    "deb $mirror $suite $components" "deb $mirror $suite-updates $components" "deb $security $suite-security $components" \
    > "$work/mmdebstrap.log" 2>&1 || { tail -30 "$work/mmdebstrap.log" >&2; die "mmdebstrap failed (log above)"; }
t1=$(date +%s)

kernel=$(ls "$root"/boot/vmlinuz-* | sort -V | tail -1)
initrd=$(ls "$root"/boot/initrd.img-* | sort -V | tail -1)
kver=${kernel##*/vmlinuz-}
cp "$kernel" "$work/vmlinuz"
cp "$initrd" "$work/initrd.img"
chroot "$root" dpkg-query -W -f '${Package}\t${Version}\t${Installed-Size}\n' > "$work/packages.tsv"
# The kernel and initrd live outside the rootfs (CH loads them from the host); drop them from the image.
rm -f "$root"/boot/vmlinuz-* "$root"/boot/initrd.img-* "$root"/boot/System.map-*
rm -rf "$root"/var/cache/apt/* "$root"/var/lib/apt/lists/*
mkfs.ext4 -q -F -L vg-root -E root_owner=0:0 -d "$root" "$work/rootfs.ext4" "$size" \
    || die "mkfs.ext4 -d failed (is --size $size big enough? the tree is $(du -sh "$root" | cut -f1))"
t2=$(date +%s)

python3 - "$work" "$suite" "$terminal" "$kver" "$nvidia" <<'PY'
import hashlib, json, os, sys, datetime
work, suite, terminal, kver, nvidia = sys.argv[1:]
def entry(name):
    p = os.path.join(work, name)
    h = hashlib.sha256()
    with open(p, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return {"file": name, "size": os.path.getsize(p), "sha256": h.hexdigest()}
pkgs = []
with open(os.path.join(work, "packages.tsv")) as f:
    for line in f:
        name, version, kib = line.rstrip("\n").split("\t")
        pkgs.append({"name": name, "version": version, "installedSizeKiB": int(kib or 0)})
manifest = {
    "format": 1,
    "name": "virtualghost-guest",
    "built": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
    "suite": suite,
    "kernelRelease": kver,
    "terminal": terminal if terminal == "ghostty" else "foot (stand-in for Ghostty)",
    "nvidia": nvidia == "1",
    "cmdline": "console=ttyS0 root=/dev/vda ro rootfstype=ext4 virtualghost.overlay=tmpfs",
    "assets": {"kernel": entry("vmlinuz"), "initramfs": entry("initrd.img"), "rootfs": entry("rootfs.ext4")},
    "packages": sorted(pkgs, key=lambda p: p["name"]),
}
with open(os.path.join(work, "manifest.json"), "w") as f:
    json.dump(manifest, f, indent=2)
    f.write("\n")
PY
for f in vmlinuz initrd.img rootfs.ext4 manifest.json; do mv -f "$work/$f" "$out/$f"; done
t3=$(date +%s)
echo "build-image.sh: $out: kernel $kver, terminal $terminal, rootfs $(du -h --apparent-size "$out/rootfs.ext4" | cut -f1) ($(du -h "$out/rootfs.ext4" | cut -f1) used), $(wc -l < "$work/packages.tsv") packages; mmdebstrap $((t1 - t0)) s, mkfs $((t2 - t1)) s, manifest $((t3 - t2)) s"
