"""Text that any XML feed can carry: control characters are dropped, not escaped.

XML 1.0 cannot hold most C0 control characters even as character references,
and Pelican's feed writer stops the whole build on one stray ``\\x0b`` pasted
from a word processor. Dropping them loses nothing a reader could see.
"""

from __future__ import annotations

import re

# C0 controls except tab, line feed and carriage return; DEL and the C1
# controls; lone surrogates; the two noncharacters XML forbids.
_INVALID_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# The same characters written as HTML numeric references (``&#11;``), which a
# feed reader would decode back into the control character. References to
# 128-159 are left alone: HTML reads them as Windows-1252 punctuation.
_CHAR_REF = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));?")


def _is_invalid(code: int) -> bool:
    return (
        (code < 0x20 and code not in (0x09, 0x0A, 0x0D))
        or 0xD800 <= code <= 0xDFFF
        or code in (0xFFFE, 0xFFFF)
        or code > 0x10FFFF
        or code == 0x7F
    )


def _drop_bad_ref(match: re.Match[str]) -> str:
    hex_digits, decimal = match.groups()
    code = int(hex_digits, 16) if hex_digits else int(decimal)
    return "" if _is_invalid(code) else match.group(0)


def xml_safe(text: str) -> str:
    """``text`` without the characters (raw or as references) XML 1.0 cannot carry."""
    if not text:
        return text
    text = _INVALID_CHARS.sub("", text)
    if "&#" in text:
        text = _CHAR_REF.sub(_drop_bad_ref, text)
    return text


def count_unsafe(text: str) -> int:
    """How many characters ``xml_safe`` would drop (raw ones; for the log)."""
    return len(_INVALID_CHARS.findall(text or ""))
