"""The one palette: Okabe-Ito, safe for the common forms of colour blindness.

Each measure keeps its colour everywhere (dashboard, slides, deck), so an audience that learned
"blue is requests received" on one screen reads the next one without a legend.
"""

PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")
BLUE, ORANGE, GREEN, VERMILION, PURPLE, SKY = PALETTE[:6]
GREY = "#6B7280"

COLOURS: dict[str, str] = {
    "requests_received": BLUE,
    "requests_supported": GREEN,
    "investigations_related": PURPLE,
    "investigations_supported": VERMILION,
    "requesting_jurisdictions": SKY,
    "requirement_usd": GREY,
    "regular_budget_usd": BLUE,
    "voluntary_paid_usd": ORANGE,
}
"""The colour of each measure, by its column name."""


def _luminance(colour: str) -> float:
    """WCAG relative luminance of a ``#RRGGBB`` colour."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def text_colour(colour: str, minimum: float = 4.5) -> str:
    """The measure's colour darkened just enough for text on white to meet WCAG AA (4.5:1).

    Lines and markers keep the palette colour; their printed values use this one, so sky blue,
    orange and pink labels stay readable on a projector.
    """
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    for step in range(0, 101):
        factor = 1 - step / 100
        shade = f"#{round(red * factor):02X}{round(green * factor):02X}{round(blue * factor):02X}"
        if 1.05 / (_luminance(shade) + 0.05) >= minimum:
            return shade
    return "#000000"
