"""A source-only VBA project (vbaProject.bin, MS-OVBA) built from module texts.

The project carries no compiled p-code (_VBA_PROJECT version 0xFFFF), so Excel compiles the modules
from their source when it opens the file."""

from __future__ import annotations

import struct
import uuid
from dataclasses import dataclass

from xltools.addin.cfb import write_cfb

CODEPAGE = 1252  # module sources are ASCII
# references every Excel project has: OLE Automation (stdole) and Office (IRibbonControl)
REFERENCES = (
    (
        "stdole",
        "*\\G{00020430-0000-0000-C000-000000000046}#2.0#0#C:\\Windows\\System32\\stdole2.tlb#OLE Automation",
    ),
    (
        "Office",
        "*\\G{2DF8D04C-5BFA-101B-BDE5-00AA0044DE52}#2.0#0#C:\\Program Files\\Common Files\\Microsoft Shared"
        "\\OFFICE16\\MSO.DLL#Microsoft Office 16.0 Object Library",
    ),
)
DOCUMENT, PROCEDURAL, CLASS = "document", "procedural", "class"
NOT_PROTECTED, NO_PASSWORD, VISIBLE = b"\0\0\0\0", b"\0", b"\xff"  # CMG, DPB, GC data


@dataclass(frozen=True)
class Module:
    """One VBA module: its name, kind (procedural .bas, class .cls, document: ThisWorkbook/sheets)
    and its full source text, Attribute lines included."""

    name: str
    kind: str
    source: str


# ---- MS-OVBA 2.4.1 compression -------------------------------------------------------------


def _copy_token_help(difference: int) -> tuple[int, int]:
    """(bit count of the offset, largest length) for a copy token at `difference` bytes into a chunk."""
    bit_count = max((difference - 1).bit_length(), 4)
    return bit_count, (0xFFFF >> bit_count) + 3


def _compress_chunk(data: bytes) -> bytes:
    out = bytearray()
    pos, n = 0, len(data)
    heads: dict[bytes, list[int]] = {}
    while pos < n:
        flag_at = len(out)
        out.append(0)
        flags = 0
        for bit in range(8):
            if pos >= n:
                break
            bit_count, max_len = _copy_token_help(pos)
            best_len, best_off = 0, 0
            for cand in reversed(heads.get(data[pos : pos + 3], [])[-64:]):
                length = 0
                limit = min(max_len, n - pos)
                while length < limit and data[cand + length] == data[pos + length]:
                    length += 1
                if length > best_len:
                    best_len, best_off = length, pos - cand
                    if length == limit:
                        break
            step = best_len if best_len >= 3 else 1
            if best_len >= 3:
                token = ((best_off - 1) << (16 - bit_count)) | (best_len - 3)
                out += struct.pack("<H", token)
                flags |= 1 << bit
            else:
                out.append(data[pos])
            for p in range(pos, pos + step):
                heads.setdefault(data[p : p + 3], []).append(p)
            pos += step
        out[flag_at] = flags
    return bytes(out)


def compress(data: bytes) -> bytes:
    """MS-OVBA CompressedContainer of `data`."""
    out = bytearray(b"\x01")
    for start in range(0, len(data), 4096):
        chunk = data[start : start + 4096]
        packed = _compress_chunk(chunk)
        if len(packed) > 4096:
            if len(chunk) != 4096:  # a raw chunk must be full; pad is not allowed at the end
                raise ValueError("incompressible final chunk")
            out += struct.pack("<H", 0x3000 | (4096 + 2 - 3)) + chunk
        else:
            out += struct.pack("<H", 0xB000 | (len(packed) + 2 - 3)) + packed
    return bytes(out)


# ---- MS-OVBA 2.4.3 data encryption (the CMG, DPB, GC values of the PROJECT stream) ----------


def encrypt(project_id: str, data: bytes, seed: int = 0x07) -> str:
    """Hex text of `data` encrypted with the project key, as the PROJECT stream stores it."""
    key = sum(project_id.encode("ascii")) & 0xFF
    version_enc, key_enc = seed ^ 2, seed ^ key
    out = [seed, version_enc, key_enc]
    unenc1, enc1, enc2 = key, key_enc, version_enc
    ignored = [0] * ((seed & 6) // 2)
    for byte in ignored + list(struct.pack("<I", len(data))) + list(data):
        enc = byte ^ ((enc2 + unenc1) & 0xFF)
        out.append(enc)
        enc2, enc1, unenc1 = enc1, enc, byte
    return bytes(out).hex().upper()


# ---- streams --------------------------------------------------------------------------------


def _rec(rec_id: int, data: bytes) -> bytes:
    return struct.pack("<HI", rec_id, len(data)) + data


def _text(s: str) -> bytes:
    return s.encode("cp1252")


def _utf16(s: str) -> bytes:
    return s.encode("utf-16-le")


def dir_stream(project: str, modules: list[Module]) -> bytes:
    """The decompressed `dir` stream (MS-OVBA 2.3.4.2)."""
    d = bytearray()
    d += _rec(0x0001, struct.pack("<I", 1))  # SysKind: Win32 (64-bit Office reads it too)
    d += _rec(0x0002, struct.pack("<I", 0x0409))
    d += _rec(0x0014, struct.pack("<I", 0x0409))
    d += _rec(0x0003, struct.pack("<H", CODEPAGE))
    d += _rec(0x0004, _text(project))
    d += _rec(0x0005, b"") + _rec(0x0040, b"")
    d += _rec(0x0006, b"") + _rec(0x003D, b"")
    d += _rec(0x0007, struct.pack("<I", 0))
    d += _rec(0x0008, struct.pack("<I", 0))
    d += struct.pack("<HIIH", 0x0009, 4, 1, 0)  # version: Reserved=4, major, minor
    d += _rec(0x000C, b"") + _rec(0x003C, b"")
    for name, libid in REFERENCES:
        d += _rec(0x0016, _text(name)) + _rec(0x003E, _utf16(name))
        lib = _text(libid)
        d += _rec(0x000D, struct.pack("<I", len(lib)) + lib + struct.pack("<IH", 0, 0))
    d += _rec(0x000F, struct.pack("<H", len(modules)))
    d += _rec(0x0013, struct.pack("<H", 0xFFFF))
    for m in modules:
        d += _rec(0x0019, _text(m.name)) + _rec(0x0047, _utf16(m.name))
        d += _rec(0x001A, _text(m.name)) + _rec(0x0032, _utf16(m.name))
        d += _rec(0x001C, b"") + _rec(0x0048, b"")
        d += _rec(0x0031, struct.pack("<I", 0))  # source starts at 0: there is no p-code
        d += _rec(0x001E, struct.pack("<I", 0))
        d += _rec(0x002C, struct.pack("<H", 0xFFFF))
        d += struct.pack("<HI", 0x0021 if m.kind == PROCEDURAL else 0x0022, 0)
        d += struct.pack("<HI", 0x002B, 0)
    d += struct.pack("<HI", 0x0010, 0)
    return bytes(d)


def project_stream(project: str, modules: list[Module], project_id: str) -> bytes:
    """The PROJECT stream (MS-OVBA 2.3.1): the module list and the (absent) protection."""
    lines = [f'ID="{project_id}"']
    for m in modules:
        if m.kind == DOCUMENT:
            lines.append(f"Document={m.name}/&H00000000")
        elif m.kind == CLASS:
            lines.append(f"Class={m.name}")
        else:
            lines.append(f"Module={m.name}")
    lines += [
        f'Name="{project}"',
        'HelpContextID="0"',
        'VersionCompatible32="393222000"',
        f'CMG="{encrypt(project_id, NOT_PROTECTED)}"',
        f'DPB="{encrypt(project_id, NO_PASSWORD)}"',
        f'GC="{encrypt(project_id, VISIBLE)}"',
        "",
        "[Host Extender Info]",
        "&H00000001={3832D640-CF90-11CF-8E43-00A0C911005A};VBE;&H00000000",
        "",
        "[Workspace]",
    ]
    lines += [f"{m.name}=0, 0, 0, 0, C" for m in modules]
    return _text("\r\n".join(lines) + "\r\n")


def crlf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\n", "\r\n")


def vba_project(modules: list[Module], project: str = "xltools", project_id: str | None = None) -> bytes:
    """The bytes of a vbaProject.bin holding `modules` as source. Raises ValueError for non-ASCII source."""
    for m in modules:
        if not m.source.isascii():
            raise ValueError(f"VBA module {m.name} is not ASCII")
    pid = project_id or "{" + str(uuid.uuid5(uuid.NAMESPACE_URL, "xltools.xlam")).upper() + "}"
    streams = {
        "PROJECT": project_stream(project, modules, pid),
        "VBA/_VBA_PROJECT": bytes([0xCC, 0x61, 0xFF, 0xFF, 0x00, 0x00, 0x00]),
        "VBA/dir": compress(dir_stream(project, modules)),
    }
    for m in modules:
        streams[f"VBA/{m.name}"] = compress(_text(crlf(m.source)))
    return write_cfb(streams)
