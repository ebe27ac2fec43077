#!/usr/bin/env bash
# Builds the VirtualGhost Linux test guest from Debian packages, without root mounts or Docker:
#   OUT_DIR/bzImage            Debian's kernel (linux-image-amd64's current ABI), as packaged
#   OUT_DIR/initramfs.cpio.gz  busybox-static, OpenSSH sshd + ssh-keygen, socat, their libraries (as ld.so
#                              lists them), the virtio/vsock modules in load order, and ./init
#   OUT_DIR/versions.txt       the package versions it was made from; OUT_DIR/key the cache key
# A second run with the same package versions and the same inputs does nothing (prints "up to date").
# Exit codes: 0 built or up to date, 2 usage, 3 packages cannot be downloaded (no apt network), 1 other errors.
set -euo pipefail

die() { echo "build.sh: $*" >&2; exit 1; }
[ $# -eq 1 ] || { echo "usage: $0 OUT_DIR" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
for tool in apt-get apt-cache dpkg-deb python3 gzip busybox sha256sum; do
    command -v "$tool" >/dev/null 2>&1 || die "$tool not found (apt-get install python3 busybox-static)"
done
mkdir -p "$1"
out=$(cd "$1" && pwd)

kernel_pkg=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
[ -n "$kernel_pkg" ] || { echo "build.sh: apt knows no linux-image-amd64 (run apt-get update)" >&2; exit 3; }
kver=${kernel_pkg#linux-image-}
tools=(busybox-static openssh-server openssh-client socat)
inputs() { cat "$here/build.sh" "$here/init" "$here/sshd_config" "$here/moddeps.py"; }
policy() { apt-cache policy "$@" | awk '/^[^ ]/ {p=$1; sub(/:$/, "", p)} /Candidate:/ {print p, $2}' | sort; }

# Fast path: the packages of the last build, if all still have the same candidate versions, need no new
# dependency walk (same versions have the same dependencies).
if [ -s "$out/key" ] && [ -s "$out/versions.txt" ] && [ -s "$out/bzImage" ] && [ -s "$out/initramfs.cpio.gz" ] \
        && grep -q "^$kernel_pkg " "$out/versions.txt"; then
    # shellcheck disable=SC2046
    current=$(policy $(cut -d' ' -f1 "$out/versions.txt"))
    if [ "$current" = "$(cat "$out/versions.txt")" ] \
            && [ "$( { echo "$current"; inputs; } | sha256sum | cut -c1-16)" = "$(cat "$out/key")" ]; then
        echo "build.sh: up to date ($out, key $(cat "$out/key"))"
        exit 0
    fi
fi

# Library packages: the Depends closure of the tools, restricted to shared-library packages.
declare -A seen=()
queue=("${tools[@]}")
libs=()
while [ ${#queue[@]} -gt 0 ]; do
    next=()
    for dep in $(apt-cache depends --no-recommends --no-suggests --no-conflicts --no-breaks --no-replaces \
            --no-enhances "${queue[@]}" | sed -nE 's/^ +\|?(Pre)?Depends: ([a-z0-9][^ <>]*)$/\2/p' | sort -u); do
        case "$dep" in lib*|zlib1g) ;; *) continue ;; esac
        [ -n "${seen[$dep]:-}" ] && continue
        seen[$dep]=1; libs+=("$dep"); next+=("$dep")
    done
    queue=("${next[@]+"${next[@]}"}")
done
pkgs=("$kernel_pkg" "${tools[@]}" "${libs[@]}")

versions=$(policy "${pkgs[@]}")
key=$( { echo "$versions"; inputs; } | sha256sum | cut -c1-16)

work=$(mktemp -d "$out/.work.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/debs" "$work/pkgroot" "$work/initramfs"
t0=$(date +%s%N)
if ! (cd "$work/debs" && apt-get download "${pkgs[@]}" > "$work/download.log" 2>&1); then
    echo "build.sh: apt-get download failed (no network to the Debian mirror?): $(grep -E '^(E|W):' "$work/download.log" | head -3 | tr '\n' ' ')" >&2
    exit 3
fi
t1=$(date +%s%N)
for deb in "$work"/debs/*.deb; do dpkg-deb -x "$deb" "$work/pkgroot"; done
root="$work/pkgroot"
ird="$work/initramfs"

# Binaries and the libraries the dynamic loader resolves for them inside the extracted packages.
mkdir -p "$ird"/{bin,sbin,usr/bin,usr/sbin,etc/ssh,lib/modules,root,var/log,var/empty}
cp "$root/bin/busybox" "$ird/bin/busybox"
cp "$root/usr/sbin/sshd" "$ird/usr/sbin/sshd"
cp "$root/usr/bin/ssh-keygen" "$root/usr/bin/socat" "$ird/usr/bin/"
ldso="$root/lib64/ld-linux-x86-64.so.2"
[ -e "$ldso" ] || ldso="$root/usr/lib64/ld-linux-x86-64.so.2"
[ -e "$ldso" ] || die "no ld-linux-x86-64.so.2 in the extracted libc6"
libpath="$root/lib/x86_64-linux-gnu:$root/usr/lib/x86_64-linux-gnu"
for bin in usr/sbin/sshd usr/bin/ssh-keygen usr/bin/socat; do
    listing=$("$ldso" --library-path "$libpath" --list "$root/$bin") || die "ld.so cannot resolve $bin: $listing"
    if grep -q 'not found' <<<"$listing"; then die "$bin needs a library no package provided: $(grep 'not found' <<<"$listing")"; fi
    grep -oE '=> [^ ]+' <<<"$listing" | cut -c4- | while read -r lib; do
        dest="$ird/lib/x86_64-linux-gnu/$(basename "$lib")"
        [ -e "$dest" ] || { mkdir -p "$(dirname "$dest")"; cp -L "$lib" "$dest"; }
    done
done
mkdir -p "$ird/lib64"
cp -L "$ldso" "$ird/lib64/ld-linux-x86-64.so.2"

# Kernel modules in dependency order (virtio-pci for QEMU's q35 and CH, virtio-net, virtio-vsock).
moddir="$root/lib/modules/$kver"
python3 "$here/moddeps.py" "$moddir" virtio_pci virtio_net vmw_vsock_virtio_transport > "$work/modules"
while read -r ko; do
    rel="${ko#"$moddir"/}"
    mkdir -p "$ird/lib/modules/$(dirname "$rel")"
    cp "$ko" "$ird/lib/modules/$rel"
    echo "$rel"
done < "$work/modules" > "$ird/lib/modules/load-order"

# Users, sshd config, init.
cat > "$ird/etc/passwd" <<'PW'
root:x:0:0:root:/root:/bin/sh
sshd:x:100:65534::/run/sshd:/bin/false
PW
printf 'root:x:0:\nnogroup:x:65534:\n' > "$ird/etc/group"
printf 'root:*:19000:0:99999:7:::\nsshd:*:19000:0:99999:7:::\n' > "$ird/etc/shadow"
chmod 600 "$ird/etc/shadow"
[ -f "$root/etc/ssh/moduli" ] && cp "$root/etc/ssh/moduli" "$ird/etc/ssh/moduli"
cp "$here/sshd_config" "$ird/etc/ssh/sshd_config"
install -m 0755 "$here/init" "$ird/init"
chmod 700 "$ird/root"

(cd "$ird" && find . | LC_ALL=C sort | busybox cpio -o -H newc -R 0:0 2>/dev/null | gzip -6n) > "$work/initramfs.cpio.gz"
cp "$root/boot/vmlinuz-$kver" "$work/bzImage"
echo "$versions" > "$work/versions.txt"
mv -f "$work/bzImage" "$out/bzImage"
mv -f "$work/initramfs.cpio.gz" "$out/initramfs.cpio.gz"
mv -f "$work/versions.txt" "$out/versions.txt"
echo "$key" > "$out/key"
t2=$(date +%s%N)
printf 'build.sh: built %s (kernel %s, initramfs %s bytes, %s packages): download %.1f s, build %.1f s\n' \
    "$out" "$kver" "$(stat -c %s "$out/initramfs.cpio.gz")" "${#pkgs[@]}" "$(awk "BEGIN {print ($t1 - $t0) / 1e9}")" \
    "$(awk "BEGIN {print ($t2 - $t1) / 1e9}")"
