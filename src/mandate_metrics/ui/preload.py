"""The code for the first figures, asked for with the page shell instead of after the first message.

Streamlit's browser code loads each kind of element (a metric card, a chart) as its own module, and
asks for it only when the first element of that kind arrives over the websocket. A first-time
visitor's browser then fetches the metric card's code while it is also fetching, and then
compiling, the 1.4 MB chart module: the headline figures waited for the charts (in Chromium, the
metric card's code sometimes arrived behind a one-second compile). Listed in the shell's
``<head>`` as ``modulepreload``, the card's modules are fetched while Streamlit itself starts, and
the cards draw as soon as their message arrives.

The module names carry content hashes that change with every Streamlit release: they are read from
the installed Streamlit's own bundle, never written down here.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import streamlit

STATIC_JS = Path(streamlit.__file__).parent / "static" / "static" / "js"
FIRST_ELEMENTS = ("Metric",)
"""The element modules a page's first figures need: the metric card. (Adding the first screen's
other modules, ``Html`` and ``Selectbox``, made the first figure later: 31 requests beside
Streamlit's own start.)"""

_DEPS_LIST = re.compile(r"m\.f=\[(?P<names>[^\]]*)\]")
_NAMES = re.compile(r'"\.\.?/(?P<name>[^"]+)"')  # modules (./) and style sheets (../css/), in order


def _bundle() -> str:
    """Streamlit's main module (``index.<hash>.js``): it names every element module and its imports."""
    found = sorted(STATIC_JS.glob("index.*.js"))
    return found[0].read_text(encoding="utf-8") if found else ""


def element_modules(bundle: str, element: str) -> list[str]:
    """The modules ``element`` (``"Metric"``) needs, itself first, as the bundle lists them; [] if unknown."""
    names = _DEPS_LIST.search(bundle)
    imported = re.search(
        r"import\(`\./" + re.escape(element) + r"\.[\w-]+\.js`\),__vite__mapDeps\(\[([\d,]+)\]\)", bundle
    )
    if names is None or imported is None:
        return []
    listed = _NAMES.findall(names["names"])
    indexes = [int(i) for i in imported.group(1).split(",")]
    return [listed[i] for i in indexes if i < len(listed) and listed[i].endswith(".js")]


@cache
def preload_links() -> str:
    """``<link rel="modulepreload">`` for the first elements' modules the shell does not already list."""
    bundle = _bundle()
    shell = (STATIC_JS.parent.parent / "index.html").read_text(encoding="utf-8") if bundle else ""
    wanted: list[str] = []
    for element in FIRST_ELEMENTS:
        for name in element_modules(bundle, element):
            if name not in wanted and f"/{name}" not in shell:
                wanted.append(name)
    return "".join(f'<link rel="modulepreload" crossorigin href="./static/js/{name}">' for name in wanted)
