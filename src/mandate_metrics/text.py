r"""Text that is safe to store and to show: no control, format or non-characters.

One rule for every place text enters or leaves: validation refuses a cell holding such a character
(so what passes validation renders everywhere: a U+FFFE once crashed the Briefing, a vertical tab
broke Excel downloads, a U+202E reorders a name on screen), and anything printed to a terminal or a
message shows them as visible ``\uXXXX`` escapes rather than acting on them.
"""

from __future__ import annotations

import re
import unicodedata

ALLOWED_CONTROLS = frozenset("\n")  # a line break inside a quoted text cell is ordinary text
# Direction marks our own words carry in Arabic and French: Babel's right-to-left mark before an
# amount, and the isolates that keep an English source title (i18n.isolate) or a signed percentage
# (i18n.left_to_right) whole. Uploads may not hold them (``bad_character`` still refuses them), so
# shown text never gets them from data.
DIRECTION_MARKS = frozenset("\u200e\u200f\u2066\u2068\u2069")
ASCII_CONTROLS = re.compile("[\x00-\x09\x0b-\x1f\x7f]")


def _is_noncharacter(code: int) -> bool:
    return 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE


def bad_character(text: str) -> str | None:
    """The first character that must not be stored, described ("U+202E, a format character"), or None."""
    for char in text:
        code = ord(char)
        category = unicodedata.category(char)
        if char in ALLOWED_CONTROLS:
            continue
        if category == "Cc":
            return f"U+{code:04X}, a control character"
        if category == "Cf":
            return f"U+{code:04X}, an invisible formatting character"
        if category == "Cs":
            return f"U+{code:04X}, half of a broken character"
        if _is_noncharacter(code):
            return f"U+{code:04X}, a non-character"
    return None


def visible(text: object) -> str:
    r"""``text`` with every control, format or non-character written as ``\uXXXX``: inert on a terminal."""
    text = str(text)
    if text.isascii() and text.isprintable():  # the common case: nothing to escape (both in C)
        return text
    if text.isascii():  # only ASCII's own control characters to escape
        return ASCII_CONTROLS.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    out = []
    for char in text:
        if (
            char not in ALLOWED_CONTROLS
            and char not in DIRECTION_MARKS
            and (unicodedata.category(char) in ("Cc", "Cf", "Cs") or _is_noncharacter(ord(char)))
        ):
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return "".join(out)
