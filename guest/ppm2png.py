#!/usr/bin/env python3
"""Converts a binary PPM (P6, as QEMU's screendump writes) to PNG with only zlib, and reports what it shows.

Usage: ppm2png.py IN.ppm OUT.png      prints "WIDTHxHEIGHT dominant=RRGGBB other=N" (N: pixels not of the
                                      dominant colour, i.e. how much is drawn on the background)
       ppm2png.py --stats IN.ppm      prints the same without writing a PNG
"""
import collections
import struct
import sys
import zlib


def read_ppm(path):
    with open(path, "rb") as f:
        data = f.read()
    fields, pos = [], 0
    while len(fields) < 4:
        while data[pos:pos + 1].isspace():
            pos += 1
        if data[pos:pos + 1] == b"#":
            pos = data.index(b"\n", pos) + 1
            continue
        end = pos
        while not data[end:end + 1].isspace():
            end += 1
        fields.append(data[pos:end])
        pos = end
    if fields[0] != b"P6" or int(fields[3]) != 255:
        raise SystemExit(f"ppm2png: {path}: not an 8-bit binary PPM (P6)")
    width, height = int(fields[1]), int(fields[2])
    pixels = data[pos + 1:pos + 1 + width * height * 3]
    if len(pixels) != width * height * 3:
        raise SystemExit(f"ppm2png: {path}: truncated")
    return width, height, pixels


def stats(width, height, pixels):
    counts = collections.Counter(pixels[i:i + 3] for i in range(0, len(pixels), 3 * 7))  # sampled
    dominant = counts.most_common(1)[0][0]
    other = sum(c for px, c in counts.items() if px != dominant) * 7
    return f"{width}x{height} dominant={dominant.hex()} other={other}"


def write_png(path, width, height, pixels):
    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
    stride = width * 3
    raw = b"".join(b"\x00" + pixels[y * stride:(y + 1) * stride] for y in range(height))
    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))
    with open(path, "wb") as f:
        f.write(png)


def main():
    args = sys.argv[1:]
    if len(args) == 2 and args[0] == "--stats":
        print(stats(*read_ppm(args[1])))
    elif len(args) == 2:
        w, h, px = read_ppm(args[0])
        write_png(args[1], w, h, px)
        print(stats(w, h, px))
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main()
