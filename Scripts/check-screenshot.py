#!/usr/bin/env python3
"""Fail unless a PNG screenshot shows a page: readable, of the expected size, not one colour.

Usage: check-screenshot.py FILE.png [MIN_WIDTH MIN_HEIGHT]
Standard library only (zlib): decodes 8-bit RGB/RGBA/grey PNGs as Chromium writes them.
"""
import struct
import sys
import zlib


def decode(path):
    """(width, height, channels, rows of bytes) of a non-interlaced 8-bit PNG."""
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = header
    channels = {0: 1, 2: 3, 4: 2, 6: 4}.get(colour)
    if depth != 8 or channels is None or interlace:
        raise ValueError(f"unsupported PNG (depth {depth}, colour type {colour}, interlace {interlace})")
    raw, stride, rows, previous = zlib.decompress(idat), width * channels, [], bytearray(width * channels)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b = previous[i]
            c = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + a) & 255
            elif kind == 2:
                line[i] = (line[i] + b) & 255
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        previous = line
    return width, height, channels, rows


def main():
    path = sys.argv[1]
    min_width, min_height = (int(sys.argv[2]), int(sys.argv[3])) if len(sys.argv) > 3 else (1, 1)
    try:
        width, height, channels, rows = decode(path)
    except (OSError, ValueError, zlib.error, TypeError, struct.error) as error:
        sys.exit(f"{path}: cannot read the screenshot: {error}")
    if width < min_width or height < min_height:
        sys.exit(f"{path}: {width}x{height}, expected at least {min_width}x{min_height}")
    background = rows[0][:channels]
    differing = sum(1 for row in rows for x in range(0, len(row), channels) if row[x:x + channels] != background)
    share = differing / (width * height)
    # A rendered report has text, bars and lines over a fair part of the page.
    if share < 0.01:
        sys.exit(f"{path}: blank page: {share:.2%} of pixels differ from the background")
    print(f"{path}: {width}x{height}, {share:.1%} of pixels drawn")


if __name__ == "__main__":
    main()
