#!/usr/bin/env python3
"""Prints, one per line and in load order, the .ko files that the named kernel modules need (themselves last).

Usage: moddeps.py MODULES_DIR MODULE...   (MODULES_DIR is lib/modules/<version> of an extracted linux-image)

Debian's linux-image packages ship no modules.dep (depmod makes it at install time), and a build host need not
have kmod, so this reads the "depends=" entry of each module's .modinfo ELF section instead, as depmod does.
"""
import os
import struct
import sys


def modinfo(path):
    with open(path, "rb") as f:
        data = f.read()
    if data[:4] != b"\x7fELF" or data[4] != 2:
        raise SystemExit(f"moddeps: {path}: not a 64-bit ELF module")
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3A)
    def section(i):
        base = shoff + i * shentsize
        name, = struct.unpack_from("<I", data, base)
        off, size = struct.unpack_from("<QQ", data, base + 0x18)
        return name, off, size
    _, stroff, _ = section(shstrndx)
    for i in range(shnum):
        name, off, size = section(i)
        end = data.index(b"\0", stroff + name)
        if data[stroff + name:end] == b".modinfo":
            return [e.decode("utf-8", "replace") for e in data[off:off + size].split(b"\0") if e]
    return []


def main():
    if len(sys.argv) < 3:
        raise SystemExit("usage: moddeps.py MODULES_DIR MODULE...")
    root = sys.argv[1]
    index = {}
    for d, _, files in os.walk(root):
        for f in files:
            if f.endswith(".ko"):
                index[f[:-3].replace("-", "_")] = os.path.join(d, f)
    order, state = [], {}

    def visit(name):
        name = name.replace("-", "_")
        if state.get(name) == "done":
            return
        if state.get(name) == "busy":
            raise SystemExit(f"moddeps: dependency cycle at {name}")
        if name not in index:
            raise SystemExit(f"moddeps: module {name} not found under {root} (built into the kernel? then drop it)")
        state[name] = "busy"
        for entry in modinfo(index[name]):
            if entry.startswith("depends="):
                for dep in filter(None, entry[len("depends="):].split(",")):
                    visit(dep)
        state[name] = "done"
        order.append(index[name])

    for m in sys.argv[2:]:
        visit(m)
    print("\n".join(order))


if __name__ == "__main__":
    main()
