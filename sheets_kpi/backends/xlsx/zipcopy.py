"""A zip writer that copies members of another zip as they are stored (issue 19).

Python's zipfile can only copy a member by inflating and deflating it again; for the owner's
input sheet of a million rows that is most of a write. Here a copied member's compressed bytes,
CRC and sizes go across untouched, and new members are deflated once. Zip64 (parts or files
over 4 GB, over 65 535 parts) and encrypted members are not handled: `CannotCopy`, and the
caller writes the workbook the slow way.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from typing import BinaryIO

_LOCAL = struct.Struct("<4s2B4HL2L2H")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_END = struct.Struct("<4s4H2LH")
_LIMIT = 0xFFFFFFFF
_UTF8_NAMES = 0x800
_DATA_DESCRIPTOR = 0x08
_ENCRYPTED = 0x01
_CHUNK = 1 << 20


class CannotCopy(Exception):
    """The zip needs what this writer does not do (zip64, encryption)."""


class ZipCopier:
    """Writes a zip into `out`: `copy` a member of `source` as stored, `add` a new one."""

    def __init__(self, out: BinaryIO, source: zipfile.ZipFile, source_file: BinaryIO) -> None:
        self.out = out
        self.source = source
        self.source_file = source_file
        self.offset = 0
        self.central: list[bytes] = []

    def copy(self, info: zipfile.ZipInfo) -> None:
        if info.flag_bits & _ENCRYPTED:
            raise CannotCopy(f"{info.filename} is encrypted")
        self.source_file.seek(info.header_offset)
        header = self.source_file.read(_LOCAL.size)
        if len(header) != _LOCAL.size or header[:4] != b"PK\x03\x04":
            raise CannotCopy(f"no local header for {info.filename}")
        name_length, extra_length = struct.unpack("<HH", header[26:30])
        self.source_file.seek(info.header_offset + _LOCAL.size + name_length + extra_length)
        self._entry(info.filename, info, info.CRC, info.compress_size, info.file_size)
        left = info.compress_size
        while left:
            chunk = self.source_file.read(min(left, _CHUNK))
            if not chunk:
                raise CannotCopy(f"{info.filename} is cut short")
            self._write(chunk)
            left -= len(chunk)

    def add(self, info: zipfile.ZipInfo, data: bytes) -> None:
        """A new member, deflated at the fastest level (the file is rewritten every run)."""
        packer = zlib.compressobj(1, zlib.DEFLATED, -15)
        packed = packer.compress(data) + packer.flush()
        info.compress_type = zipfile.ZIP_DEFLATED
        self._entry(info.filename, info, zlib.crc32(data), len(packed), len(data))
        self._write(packed)

    def close(self) -> None:
        start = self.offset
        count = len(self.central)
        size = sum(map(len, self.central))
        if count > 0xFFFF or start + size >= _LIMIT:
            raise CannotCopy("zip64 needed")
        for record in self.central:
            self._write(record)
        self._write(_END.pack(b"PK\x05\x06", 0, 0, count, count, size, start, 0))

    def _entry(
        self, name: str, info: zipfile.ZipInfo, crc: int, packed: int, unpacked: int
    ) -> None:
        if max(packed, unpacked, self.offset) >= _LIMIT:
            raise CannotCopy(f"{name} needs zip64")
        try:
            encoded, flags = name.encode("ascii"), 0
        except UnicodeEncodeError:
            encoded, flags = name.encode("utf-8"), _UTF8_NAMES
        flags |= info.flag_bits & ~(_DATA_DESCRIPTOR | _UTF8_NAMES)
        year, month, day, hour, minute, second = info.date_time
        dos_date = max(year - 1980, 0) << 9 | month << 5 | day
        dos_time = hour << 11 | minute << 5 | second // 2
        method = info.compress_type
        version = 20
        self.central.append(
            _CENTRAL.pack(
                b"PK\x01\x02",
                version,
                0,
                version,
                0,
                flags,
                method,
                dos_time,
                dos_date,
                crc,
                packed,
                unpacked,
                len(encoded),
                0,
                0,
                0,
                info.internal_attr,
                info.external_attr,
                self.offset,
            )
            + encoded
        )
        local = _LOCAL.pack(
            b"PK\x03\x04",
            version,
            0,
            flags,
            method,
            dos_time,
            dos_date,
            crc,
            packed,
            unpacked,
            len(encoded),
            0,
        )
        self._write(local + encoded)

    def _write(self, data: bytes) -> None:
        self.out.write(data)
        self.offset += len(data)
