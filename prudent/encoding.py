"""Text that is not UTF-8: where the first bad byte is, what the file probably is, the fix.

Every source Prudent reads is UTF-8. A post saved by an old editor is most
often Windows-1252 (Latin-1 with curly quotes), sometimes UTF-16 (a Windows
"Unicode" save); the message names the encoding that reads the file, shows the
word as that encoding reads it so the author can confirm the guess, and gives
the command that converts the file.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from pathlib import Path

from prudent.findings import Finding, Location, Severity

RULE = "unreadable-text"
RULE_DOC = "A file the build would publish or check is not UTF-8 text, so it cannot be checked"

_BOMS = (
    (b"\xff\xfe\x00\x00", "utf_32_le", "UTF-32LE", "UTF-32 (little-endian)"),
    (b"\x00\x00\xfe\xff", "utf_32_be", "UTF-32BE", "UTF-32 (big-endian)"),
    (b"\xff\xfe", "utf_16", "UTF-16", "UTF-16 (a Windows 'Unicode' save)"),
    (b"\xfe\xff", "utf_16", "UTF-16", "UTF-16 (big-endian)"),
)
# Friendly names for what charset_normalizer may find: (iconv name, label).
_LABELS = {
    "cp1252": ("WINDOWS-1252", "Windows-1252 (Latin-1)"),
    "latin_1": ("ISO-8859-1", "Latin-1 (ISO-8859-1)"),
    "iso8859_15": ("ISO-8859-15", "Latin-9 (ISO-8859-15)"),
    "mac_roman": ("MACINTOSH", "Mac OS Roman"),
    "cp1250": ("WINDOWS-1250", "Windows-1250 (Central European)"),
    "cp1251": ("WINDOWS-1251", "Windows-1251 (Cyrillic)"),
    "koi8_r": ("KOI8-R", "KOI8-R (Cyrillic)"),
    "cp932": ("SHIFT_JIS", "Shift JIS (Japanese)"),
    "shift_jis": ("SHIFT_JIS", "Shift JIS (Japanese)"),
    "euc_jp": ("EUC-JP", "EUC-JP (Japanese)"),
    "gb18030": ("GB18030", "GB18030 (Chinese)"),
    "gb2312": ("GB2312", "GB2312 (Chinese)"),
    "big5": ("BIG5", "Big5 (Chinese)"),
    "euc_kr": ("EUC-KR", "EUC-KR (Korean)"),
    "utf_16": ("UTF-16", "UTF-16"),
}


@dataclass(frozen=True)
class NotUtf8:
    """Where a file stops being UTF-8 and what it probably is."""

    line: int
    col: int
    byte: int
    codec: str = ""  # a Python codec that reads the whole file, "" if none was found
    iconv: str = ""
    label: str = ""
    sample: tuple[str, str] = ("", "")  # (the bytes shown as ?, the same word in ``codec``)
    binary: str = ""  # not text at all: what it is ("binary data", "a PNG image")

    def reason(self) -> str:
        if self.binary:
            return (
                f"not text: the file holds {self.binary} (byte 0x{self.byte:02X} is not "
                "valid UTF-8, and it has NUL bytes, which no text has)"
            )
        text = f"not UTF-8: byte 0x{self.byte:02X} is not valid UTF-8"
        if self.codec:
            text += f"; the file looks like {self.label}"
            if self.sample[1]:
                text += f", which reads {self.sample[1]!r} there"
        else:
            text += "; its encoding could not be told"
        return text

    def fix(self, path: str) -> str:
        if self.binary:
            suffix = path.rsplit(".", 1)[-1] if "." in path.rsplit("/", 1)[-1] else ""
            return (
                "Move it out of content/ (a picture goes under content/images/, linked from a "
                "post), or rename it so that it does not end in "
                + (f".{suffix}" if suffix else "a text suffix")
                + " (the build reads every such file as a post or a page)"
            )
        if not self.codec:
            return (
                "Open it in your editor, pick the encoding it was written in, and save it as UTF-8"
            )
        quoted, tmp = shlex.quote(path), shlex.quote(path + ".utf8")
        return (
            f"Convert it to UTF-8: iconv -f {self.iconv} -t UTF-8 {quoted} > {tmp} && "
            f"mv {tmp} {quoted} (or reopen it in your editor as {self.label} and save it "
            "as UTF-8)"
        )

    def message(self, path: str) -> str:
        """What is wrong and what to do, for the file at ``path``."""
        return f"{path}:{self.line}:{self.col}: {self.reason()}. {self.fix(path)}"

    def finding(self, path: str) -> Finding:
        """An error at the first bad byte: a text that cannot be read is not checked."""
        return Finding(
            RULE,
            Severity.ERROR,
            Location(path, self.line, self.col),
            f"byte 0x{self.byte:02X}",
            self.reason() + " (fail closed: a text that cannot be read is not checked)",
            self.fix(path),
        )


class NotUtf8Error(ValueError):
    def __init__(self, path: str, diagnosis: NotUtf8) -> None:
        super().__init__(diagnosis.message(path))
        self.path, self.diagnosis = path, diagnosis


def diagnose(data: bytes, start: int | None = None) -> NotUtf8:
    """Why ``data`` is not UTF-8: the first bad byte's place, and a likely encoding."""
    if start is None:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as exc:
            start = exc.start
        else:
            raise ValueError("the data is valid UTF-8")
    before = data[:start]
    line = before.count(b"\n") + 1
    col = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
    codec, iconv, label = _guess(data)
    if not codec and b"\0" in data:
        return NotUtf8(line, col, data[start], binary=_binary_kind(data))
    sample = ("", "")
    if codec:
        sample = (_word(data, start, "utf-8"), _word(data, start, codec))
    return NotUtf8(line, col, data[start], codec, iconv, label, sample)


def read_text(path: Path, shown: str | None = None) -> str:
    """The file as UTF-8 (a BOM is dropped), or ``NotUtf8Error`` with the fix."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise NotUtf8Error(shown or path.as_posix(), diagnose(data, exc.start)) from None


def _guess(data: bytes) -> tuple[str, str, str]:
    for bom, codec, iconv, label in _BOMS:
        if data.startswith(bom):
            return codec, iconv, label
    if b"\0" in data:
        # UTF-16 without a byte-order mark has NUL bytes, and so has a program or a
        # picture: UTF-16 only if it reads as printable text, else binary (diagnose).
        orders = [
            ("utf_16_le", "UTF-16LE", "UTF-16 (little-endian, no byte-order mark)"),
            ("utf_16_be", "UTF-16BE", "UTF-16 (big-endian, no byte-order mark)"),
        ]
        if data[0::2].count(0) > data[1::2].count(0):  # ASCII's high byte comes first
            orders.reverse()
        for codec, iconv, label in orders:
            if len(data) >= 4 and _printable(data, codec):
                return codec, iconv, label
        return "", "", ""
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = ""
    if text and _reads_like_latin(text):
        if any(0x80 <= b <= 0x9F for b in data):
            return ("cp1252", *_LABELS["cp1252"])
        return ("latin_1", *_LABELS["latin_1"])
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - a dependency of requests, always installed
        return "", "", ""
    best = from_bytes(data).best()
    if best is None:
        return "", "", ""
    codec = best.encoding
    iconv, label = _LABELS.get(codec, (codec.upper().replace("_", "-"), codec))
    return codec, iconv, label


# The first bytes of binary files someone might save under content/ by mistake.
_MAGIC = (
    (b"\x7fELF", "a program (ELF executable)"),
    (b"MZ", "a Windows program"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or an Office document)"),
    (b"\x1f\x8b", "gzip-compressed data"),
)


def _binary_kind(data: bytes) -> str:
    return next((what for magic, what in _MAGIC if data.startswith(magic)), "binary data")


def _printable(data: bytes, codec: str) -> bool:
    """Whether ``data`` read as ``codec`` is mostly printable text (not a binary's bytes)."""
    text = data[: len(data) // 2 * 2].decode(codec, "replace")
    good = sum(1 for c in text if c.isprintable() or c in "\t\n\r\f")
    return good >= 0.95 * len(text)


def _reads_like_latin(text: str) -> bool:
    """Western text has its accents and quotes one at a time among ASCII letters;
    Cyrillic, Greek or Japanese bytes read as Windows-1252 come out in clumps."""
    high = [i for i, c in enumerate(text) if not c.isascii()]
    if not high:
        return True
    clumped = sum(
        1
        for i in high
        if (i > 0 and not text[i - 1].isascii())
        or (i + 1 < len(text) and not text[i + 1].isascii())
    )
    return clumped <= 0.3 * len(high)


def _word(data: bytes, start: int, codec: str) -> str:
    """The word around byte ``start``, decoded with ``codec``."""
    lo = start
    while lo > 0 and start - lo < 30 and data[lo - 1 : lo] not in (b" ", b"\n", b"\t"):
        lo -= 1
    hi = start
    while hi < len(data) and hi - start < 30 and data[hi : hi + 1] not in (b" ", b"\n", b"\r"):
        hi += 1
    if codec.startswith("utf_16") or codec.startswith("utf_32"):
        return ""  # a word cut at any byte is no word in a 2- or 4-byte encoding
    return data[lo:hi].decode(codec, "replace").strip(".,;:!?()[]\"'")
