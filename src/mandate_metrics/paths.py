"""Where things live on disk.

No package imports here, so every other module (and the tests) can use it freely.
"""

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent.parent
DATA_DIR = PROJECT_DIR / "data"
FONTS_DIR = PROJECT_DIR / "static" / "fonts"  # served by Streamlit (theme.fontFaces); embedded in the PDF
