"""One workbook sheet parsed by python-calamine, with its formulas found in the sheet's XML.

This module imports nothing heavy (no pandas, pyarrow or numpy), so the command line can start
parsing a workbook (``start``) before the libraries that check it are imported: calamine parses
without the GIL, and on two cores the parse then costs about as much as the imports alone.
``reading`` turns the parsed sheet into text columns, whether it was started early or not.
"""

from __future__ import annotations

import html
import io
import re
import zipfile
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MAX_UNZIPPED_BYTES = 500_000_000  # a workbook unpacking to more is refused before it is parsed
MAX_ZIP_RATIO = 200  # ... and so is any entry compressed more than this (a zip bomb)
MAX_ZIP_ENTRIES = 2_000


@dataclass(frozen=True)
class Sheet:
    """A sheet as calamine parsed it, and its formulas (None: some formula could not be placed)."""

    name: str
    loaded: Any  # python_calamine.CalamineSheet
    formulas: dict[tuple[int, int], str] | None


@dataclass(frozen=True)
class Started:
    """A workbook whose sheet is being parsed while the command line imports the rest."""

    path: Path
    sheet: str | None
    data: bytes
    parsed: Future[Sheet | None]


def oversized(archive: zipfile.ZipFile) -> int | None:
    """The unpacked size when the zip unpacks out of proportion (a bomb, or far too many parts)."""
    entries = archive.infolist()
    unpacked = sum(e.file_size for e in entries)
    squeezed = [
        e
        for e in entries
        if e.file_size > 1_000_000 and e.file_size > MAX_ZIP_RATIO * max(1, e.compress_size)
    ]
    if len(entries) > MAX_ZIP_ENTRIES or unpacked > MAX_UNZIPPED_BYTES or squeezed:
        return unpacked
    return None


def parse(archive: zipfile.ZipFile, book: Any, name: str) -> Sheet:
    """Parse sheet ``name`` of ``book``, looking for its formulas (zlib and a byte search) meanwhile.

    Both run without the GIL: on two cores the formula search costs next to nothing.
    """
    with ThreadPoolExecutor(max_workers=1) as pool:
        searching = pool.submit(formulas, archive, name)
        loaded = book.get_sheet_by_name(name)
        return Sheet(name, loaded, searching.result())


def start(path: Path, sheet: str | None) -> Started | None:
    """Begin parsing the workbook at ``path`` in a thread; None if it is not one to start early.

    Whatever is wrong with the file (not a zip, a bomb, no such sheet) is left to ``reading``,
    which reports it: the early parse then gives None and the sheet is read the usual way.
    """
    try:
        data = path.read_bytes()
    except OSError:
        return None
    if not data.startswith(b"PK\x03\x04"):
        return None
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="workbook")
    parsed = pool.submit(_parse_quietly, data, sheet)
    pool.shutdown(wait=False)
    return Started(path, sheet, data, parsed)


def _parse_quietly(data: bytes, sheet: str | None) -> Sheet | None:
    from python_calamine import CalamineWorkbook  # noqa: PLC0415 - only workbook uploads need it

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        if oversized(archive) is not None:
            return None
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        names = list(book.sheet_names)
        name = sheet or (names[0] if names else None)
        if name is None or name not in names:
            return None
        return parse(archive, book, name)
    except Exception:  # noqa: BLE001 - ``reading`` reads it again and reports what is wrong
        return None


FORMULA_TAG = re.compile(rb"<(\w+:)?f[\s>/]")
CELL_START = re.compile(rb"<(?:\w+:)?c[\s>]")
CELL_REF = re.compile(rb'\br="([A-Z]+)(\d+)"')
FORMULA_TEXT = re.compile(rb"<(?:\w+:)?f\b[^>]*?(?:/>|>([^<]*)</(?:\w+:)?f>)")


def formulas(archive: zipfile.ZipFile, sheet: str) -> dict[tuple[int, int], str] | None:
    """Formula cells of one sheet, {(Excel row, column index): "=formula"}; None if one cannot be placed.

    A workbook keeps a formula's last result beside it, and a fast reader returns that result: the
    formula itself is found in the sheet's XML, so it is reported as a formula rather than taken
    as a value. Formulas are rare, so each one is placed by looking back to the cell it is in.
    """
    path = _sheet_path(archive, sheet)
    if path is None:
        return None
    xml = archive.read(path)
    found: dict[tuple[int, int], str] = {}
    for tag in _formula_tags(xml):
        near = max(0, tag.start() - 2_000)  # a cell's opening tag is a few attributes long
        start_at = max(xml.rfind(b"<c ", near, tag.start()), xml.rfind(b":c ", near, tag.start()))
        cell = CELL_REF.search(xml, start_at, tag.start()) if start_at >= 0 else None
        if cell is None or CELL_START.search(xml, start_at + 2, tag.start()):
            return None  # not inside a cell with a reference: read the sheet cell by cell instead
        column = 0
        for letter in cell.group(1).decode():
            column = column * 26 + ord(letter) - 64
        text = FORMULA_TEXT.match(xml, tag.start())
        formula = text.group(1) if text and text.group(1) else b""
        shown = html.unescape(formula.decode("utf-8", errors="replace")) if formula else "…"
        found[(int(cell.group(2)), column - 1)] = "=" + shown
    return found


def _formula_tags(xml: bytes) -> Iterator[re.Match[bytes]]:
    """Each formula element of a sheet, found by plain search (a regex over every tag is 10x slower)."""
    if b":f" in xml:  # prefixed elements (<x:f>), from some generators: the general pattern
        yield from FORMULA_TAG.finditer(xml)
        return
    at = xml.find(b"<f")
    while at >= 0:
        tag = FORMULA_TAG.match(xml, at)
        if tag:
            yield tag
        at = xml.find(b"<f", at + 2)


def _sheet_path(archive: zipfile.ZipFile, sheet: str) -> str | None:
    """The XML part holding the sheet named ``sheet``, from the workbook and its relationships."""
    try:
        book = archive.read("xl/workbook.xml").decode("utf-8")
        rels = archive.read("xl/_rels/workbook.xml.rels").decode("utf-8")
    except KeyError:
        return None
    for attributes in re.findall(r"<(?:\w+:)?sheet\b([^>]*)/?>", book):
        name = re.search(r'\bname="([^"]*)"', attributes)
        rid = re.search(r'\br:id="([^"]*)"', attributes) or re.search(r'\b\w+:id="([^"]*)"', attributes)
        if name and rid and html.unescape(name.group(1)) == sheet:
            for rel in re.findall(r"<Relationship\b([^>]*)/?>", rels):
                if f'Id="{rid.group(1)}"' in rel:
                    target = re.search(r'Target="([^"]*)"', rel)
                    if target:
                        path = target.group(1).lstrip("/")
                        return path if path.startswith("xl/") else f"xl/{path}"
    return None
