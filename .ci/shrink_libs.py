"""Smaller shared libraries for the bundle (build_app.spec, Linux): which stripped copies still
load, and an ICU data library without the data Qt never reads.

Stripping: strip moves what follows the symbol table up in the file. In a library that
auditwheel's patchelf has rearranged (numpy's OpenBLAS), loadable segments follow it, and they
no longer start on a page boundary: "ELF load command address/offset not page-aligned" when
numpy is imported. load_segments_aligned() tells such a copy apart, and the original stays.

ICU: the data library of Qt's wheel (libicudata.so.73, 31 MB) holds every ICU data tree, though
Qt calls ICU only for collation, code-page converters, case mapping and time-zone names. The
spec rebuilds it without the trees Qt never reaches (ICU's own way to cut its data, as
icupkg --remove does); ICU looks an item up in the package's table of contents, so a tree that
is gone costs nothing until asked for, and nothing asks. The data is an ICU common-data package
("CmnD"): a header, then a table of contents (a count, then (name offset, data offset) pairs,
both from the end of the header, sorted by name), the names, and the items, each starting on 16
bytes. The library is an ELF file whose one symbol, icudtNN_dat, is the package; the new one is
assembled with the C compiler.
"""

import struct
import subprocess
import tempfile
from collections.abc import Iterable
from pathlib import Path

ALIGN = 16
PAD = b"\xaa"  # what icupkg pads with


def load_segments_aligned(path: Path) -> bool:
    """Whether every loadable segment of 64-bit little-endian ELF file ``path`` starts in the
    file at an offset the loader can map at its address (what glibc checks)."""
    elf = path.read_bytes()
    phoff = struct.unpack_from("<Q", elf, 0x20)[0]
    phentsize, phnum = struct.unpack_from("<HH", elf, 0x36)
    for at in range(phoff, phoff + phnum * phentsize, phentsize):
        kind, _, offset, vaddr, _, _, _, align = struct.unpack_from("<IIQQQQQQ", elf, at)
        if kind == 1 and align > 1 and (vaddr - offset) % align:  # PT_LOAD
            return False
    return True


def is_shared_library(path: Path) -> bool:
    """Whether ``path`` is a 64-bit little-endian ELF shared object: a library, an extension
    module (or a position-independent executable)."""
    with path.open("rb") as file:
        head = file.read(18)
    return len(head) == 18 and head[:4] == b"\x7fELF" and head[4:6] == b"\2\1" and head[16] == 3


def elf_symbol(path: Path, prefix: bytes = b"icudt") -> tuple[str, bytes]:
    """The name and bytes of the first dynamic symbol starting with ``prefix`` in a 64-bit
    little-endian ELF shared library."""
    elf = path.read_bytes()
    if elf[:4] != b"\x7fELF" or elf[4] != 2 or elf[5] != 1:
        raise ValueError(f"{path}: not a 64-bit little-endian ELF file")
    shoff = struct.unpack_from("<Q", elf, 0x28)[0]
    shentsize, shnum = struct.unpack_from("<HH", elf, 0x3A)
    sections = [struct.unpack_from("<IIQQQQIIQQ", elf, shoff + i * shentsize) for i in range(shnum)]
    for _, kind, _, _, offset, size, link, _, _, entsize in sections:
        if kind != 11:  # SHT_DYNSYM
            continue
        strings = sections[link][4]
        for start in range(offset, offset + size, entsize):
            name_at, _, _, shndx, value, length = struct.unpack_from("<IBBHQQ", elf, start)
            name = elf[strings + name_at : elf.index(b"\0", strings + name_at)]
            if name.startswith(prefix) and shndx != 0:
                section = sections[shndx]  # the file offset of a virtual address
                at = value - section[3] + section[4]
                return name.decode(), elf[at : at + length]
    raise ValueError(f"{path}: no symbol starting with {prefix!r}")


def package_items(package: bytes) -> tuple[bytes, list[tuple[str, bytes]]]:
    """The header and the (name, bytes) items of an ICU common-data package."""
    header_size = struct.unpack_from("<H", package, 0)[0]
    if package[2:4] != b"\xda\x27" or package[12:16] != b"CmnD" or package[8] != 0:
        raise ValueError("not a little-endian ICU common-data package")
    body = package[header_size:]
    count = struct.unpack_from("<I", body, 0)[0]
    toc = [struct.unpack_from("<II", body, 4 + 8 * i) for i in range(count)]
    ends = [data for _, data in toc[1:]] + [len(body)]
    items = [
        (body[name : body.index(b"\0", name)].decode("ascii"), body[data:end])
        for (name, data), end in zip(toc, ends, strict=True)
    ]
    return package[:header_size], items


def build_package(header: bytes, items: list[tuple[str, bytes]]) -> bytes:
    """The package of ``items`` (in the order given, which must be sorted by name)."""
    names = b"".join(name.encode("ascii") + b"\0" for name, _ in items)
    toc_size = 4 + 8 * len(items)
    data_at = _aligned(toc_size + len(names))
    toc, name_at, at = [struct.pack("<I", len(items))], toc_size, data_at
    for name, data in items:
        toc.append(struct.pack("<II", name_at, at))
        name_at += len(name) + 1
        at += _aligned(len(data))
    body = b"".join(toc) + names
    body += PAD * (data_at - len(body))
    body += b"".join(data + PAD * (_aligned(len(data)) - len(data)) for _, data in items)
    return header + body


def is_left_out(name: str, left_out: Iterable[str]) -> bool:
    """Whether item ``name`` ("icudt73l/brkitr/word.brk") is one of ``left_out``: a tree
    ("brkitr/") or a file ("unames.icu") below the package's own folder."""
    path = name.partition("/")[2]
    return any(path.startswith(p) if p.endswith("/") else path == p for p in left_out)


def trimmed(package: bytes, left_out: Iterable[str]) -> bytes:
    left_out = list(left_out)
    header, items = package_items(package)
    return build_package(header, [(n, d) for n, d in items if not is_left_out(n, left_out)])


def build_library(source: Path, target: Path, left_out: Iterable[str], cc: str = "cc") -> None:
    """Write to ``target`` a copy of the ICU data library ``source`` without ``left_out``."""
    symbol, package = elf_symbol(source)
    with tempfile.TemporaryDirectory() as folder:
        data, assembly = Path(folder, "icudt.dat"), Path(folder, "icudt.S")
        data.write_bytes(trimmed(package, left_out))
        assembly.write_text(
            f"\t.section .rodata\n\t.globl {symbol}\n\t.type {symbol}, @object\n\t.balign {ALIGN}\n"
            f'{symbol}:\n\t.incbin "{data}"\n\t.size {symbol}, . - {symbol}\n'
            '\t.section .note.GNU-stack,"",@progbits\n'
        )
        target.parent.mkdir(parents=True, exist_ok=True)
        command = [cc, "-shared", "-nostdlib", "-s", f"-Wl,-soname,{source.name}"]
        subprocess.run([*command, "-o", str(target), str(assembly)], check=True)


def _aligned(size: int) -> int:
    return -(-size // ALIGN) * ALIGN
