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
