"""A writer of Compound File Binary files (MS-CFB, version 3), enough for a vbaProject.bin."""

from __future__ import annotations

import struct

SECTOR = 512
MINI = 64
CUTOFF = 4096
FREE, END, FATSECT, NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
STORAGE, STREAM, ROOT = 1, 2, 5
RED, BLACK = 0, 1


class _Entry:
    def __init__(self, name: str, kind: int, data: bytes = b"") -> None:
        self.name, self.kind, self.data = name, kind, data
        self.children: dict[str, _Entry] = {}
        self.left = self.right = self.child = NOSTREAM
        self.colour = BLACK
        self.start, self.size = END, 0


def _key(name: str) -> tuple[int, str]:
    # MS-CFB 2.6.4: shorter names first, then by upper-cased code points
    return (len(name), name.upper())


def _tree(entries: list[_Entry], index: dict[int, int]) -> int:
    """Link `entries` (siblings) as a balanced red-black tree; returns the root's directory id.
    Midpoint construction leaves every level full but the last, whose nodes are coloured red."""
    ordered = sorted(entries, key=lambda e: _key(e.name))

    def build(lo: int, hi: int, depth: int, out: list[tuple[_Entry, int]]) -> int:
        if lo >= hi:
            return NOSTREAM
        mid = (lo + hi) // 2
        node = ordered[mid]
        out.append((node, depth))
        node.left = build(lo, mid, depth + 1, out)
        node.right = build(mid + 1, hi, depth + 1, out)
        return index[id(node)]

    placed: list[tuple[_Entry, int]] = []
    root = build(0, len(ordered), 0, placed)
    deepest = max((d for _, d in placed), default=0)
    full = len(ordered) == 2 ** (deepest + 1) - 1
    for node, depth in placed:
        node.colour = RED if depth == deepest and not full else BLACK
    return root


def _chain(fat: list[int], start: int, count: int) -> None:
    for i in range(count):
        fat[start + i] = start + i + 1 if i < count - 1 else END


def write_cfb(streams: dict[str, bytes]) -> bytes:
    """The bytes of a compound file holding `streams` ({'VBA/dir': b'…', 'PROJECT': b'…'})."""
    root, entries = _entries(streams)
    mini_fat, mini_data, big = _mini_stream(entries)
    out = _Sectors()
    for e in big:
        e.start = out.place(e.data)
    root.size = len(mini_data)
    root.start = out.place(bytes(mini_data)) if mini_data else END
    mini_fat_bytes = struct.pack(f"<{len(mini_fat)}I", *mini_fat)
    mini_fat_sectors = -(-len(mini_fat_bytes) // SECTOR)
    mini_fat_start = out.place(mini_fat_bytes.ljust(mini_fat_sectors * SECTOR, b"\xff")) if mini_fat else END
    directory = b"".join(_dir_entry(e) for e in entries) + _empty_entry() * (-len(entries) % 4)
    dir_start = out.place(directory)
    n_fat, fat_start = out.close_fat()
    header = _header(n_fat, fat_start, dir_start, mini_fat_start, mini_fat_sectors if mini_fat else 0)
    return header + bytes(out.sectors)


def _entries(streams: dict[str, bytes]) -> tuple[_Entry, list[_Entry]]:
    """The directory tree of `streams`, root first, each storage's children as a red-black tree."""
    root = _Entry("Root Entry", ROOT)
    for path, data in streams.items():
        node = root
        *folders, leaf = path.split("/")
        for f in folders:
            node = node.children.setdefault(f, _Entry(f, STORAGE))
        node.children[leaf] = _Entry(leaf, STREAM, data)
    entries: list[_Entry] = []

    def walk(e: _Entry) -> None:
        entries.append(e)
        for c in e.children.values():
            walk(c)

    walk(root)
    index = {id(e): i for i, e in enumerate(entries)}
    for e in entries:
        if e.children:
            e.child = _tree(list(e.children.values()), index)
    return root, entries


def _mini_stream(entries: list[_Entry]) -> tuple[list[int], bytearray, list[_Entry]]:
    """Streams under the cutoff go to the mini stream in 64-byte mini sectors: (mini FAT, mini stream
    bytes, the streams too big for it)."""
    mini_fat: list[int] = []
    mini_data = bytearray()
    big = []
    for e in entries:
        if e.kind != STREAM:
            continue
        e.size = len(e.data)
        if e.size >= CUTOFF:
            big.append(e)
        elif e.size:
            n = -(-e.size // MINI)
            e.start = len(mini_fat)
            mini_fat.extend([0] * n)
            _chain(mini_fat, e.start, n)
            mini_data += e.data.ljust(n * MINI, b"\0")
    return mini_fat, mini_data, big


class _Sectors:
    """The file's 512-byte sectors after the header, and their FAT."""

    def __init__(self) -> None:
        self.sectors = bytearray()
        self.fat: list[int] = []

    def place(self, data: bytes) -> int:
        n = -(-len(data) // SECTOR)
        start = len(self.fat)
        self.fat.extend([0] * n)
        _chain(self.fat, start, n)
        self.sectors.extend(data.ljust(n * SECTOR, b"\0"))
        return start

    def close_fat(self) -> tuple[int, int]:
        """Append the FAT's own sectors; returns (how many, the first)."""
        n_fat = 1
        while (len(self.fat) + n_fat) > n_fat * (SECTOR // 4):
            n_fat += 1
        if n_fat > 109:
            raise ValueError("compound file too large for a header-only DIFAT")
        fat_start = len(self.fat)
        self.fat.extend([FATSECT] * n_fat)
        self.fat.extend([FREE] * (n_fat * (SECTOR // 4) - len(self.fat)))
        self.sectors += struct.pack(f"<{len(self.fat)}I", *self.fat)
        return n_fat, fat_start


def _header(n_fat: int, fat_start: int, dir_start: int, mini_fat_start: int, mini_fat_sectors: int) -> bytes:
    difat = list(range(fat_start, fat_start + n_fat)) + [FREE] * (109 - n_fat)
    return struct.pack(
        "<8s16sHHHHH6sIIIIIIIII",
        bytes.fromhex("D0CF11E0A1B11AE1"),
        b"\0" * 16,
        0x003E,
        0x0003,
        0xFFFE,
        9,
        6,
        b"\0" * 6,
        0,
        n_fat,
        dir_start,
        0,
        CUTOFF,
        mini_fat_start,
        mini_fat_sectors,
        END,
        0,
    ) + struct.pack("<109I", *difat)


def _dir_entry(e: _Entry) -> bytes:
    name = e.name.encode("utf-16-le") + b"\0\0"
    if len(name) > 64:
        raise ValueError(f"stream name too long: {e.name}")
    return struct.pack(
        "<64sHBBIII16sIQQIQ",
        name,
        len(name),
        e.kind,
        e.colour,
        e.left,
        e.right,
        e.child,
        b"\0" * 16,
        0,
        0,
        0,
        e.start if e.kind != STORAGE else 0,
        e.size,
    )


def _empty_entry() -> bytes:
    return struct.pack(
        "<64sHBBIII16sIQQIQ", b"", 0, 0, 0, NOSTREAM, NOSTREAM, NOSTREAM, b"\0" * 16, 0, 0, 0, 0, 0
    )
