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

    # mini stream: streams under the cutoff, in 64-byte mini sectors
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
    sectors = bytearray()
    fat: list[int] = []

    def place(data: bytes) -> int:
        n = -(-len(data) // SECTOR)
        start = len(fat)
        fat.extend([0] * n)
        _chain(fat, start, n)
        sectors.extend(data.ljust(n * SECTOR, b"\0"))
        return start

    for e in big:
        e.start = place(e.data)
    root.size = len(mini_data)
    root.start = place(bytes(mini_data)) if mini_data else END
    mini_fat_bytes = struct.pack(f"<{len(mini_fat)}I", *mini_fat)
    mini_fat_start = (
        place(mini_fat_bytes.ljust(-(-len(mini_fat_bytes) // SECTOR) * SECTOR, b"\xff")) if mini_fat else END
    )
    mini_fat_sectors = -(-len(mini_fat_bytes) // SECTOR)
    directory = b"".join(_dir_entry(e) for e in entries)
    directory += _empty_entry() * (-len(entries) % 4)
    dir_start = place(directory)
    n_fat = 1
    while (len(fat) + n_fat) > n_fat * (SECTOR // 4):
        n_fat += 1
    if n_fat > 109:
        raise ValueError("compound file too large for a header-only DIFAT")
    fat_start = len(fat)
    fat.extend([FATSECT] * n_fat)
    fat.extend([FREE] * (n_fat * (SECTOR // 4) - len(fat)))
    sectors += struct.pack(f"<{len(fat)}I", *fat)
    difat = list(range(fat_start, fat_start + n_fat)) + [FREE] * (109 - n_fat)
    header = struct.pack(
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
        mini_fat_sectors if mini_fat else 0,
        END,
        0,
    ) + struct.pack("<109I", *difat)
    return header + bytes(sectors)


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
