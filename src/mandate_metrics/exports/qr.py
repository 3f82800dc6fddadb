"""The QR code of an address, made offline (segno): SVG for the slide and the PDF, PNG for the deck.

A room cannot read forty sources off a slide; it can point a phone at the Sources page.
"""

from __future__ import annotations

import io
import re

import segno

from mandate_metrics.i18n import left_to_right, t

DARK = "#111827"  # the slides' text colour, on white: a contrast any phone camera reads


def short(address: str) -> str:
    """The address as a person types it: no scheme, no trailing slash."""
    return re.sub(r"^https?://", "", address).rstrip("/")


def caption(address: str, locale: str) -> str:
    """The line under the code: "Every source: metrics.example.org/sources" (kept left to right)."""
    return t("brief.sources.qr", locale, address=left_to_right(short(address), locale))


def svg(address: str, label: str) -> str:
    """An inline SVG of the address's QR code, titled ``label`` for screen readers."""
    code = segno.make(address, error="m")
    return code.svg_inline(scale=5, dark=DARK, light="white", title=label, border=2)


def png(address: str) -> bytes:
    """The address's QR code as a PNG (the deck places it as a picture)."""
    out = io.BytesIO()
    segno.make(address, error="m").save(out, kind="png", scale=12, dark=DARK, light="white", border=2)
    return out.getvalue()
