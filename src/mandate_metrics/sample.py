"""The deterministic, illustrative sample ledger: requests, investigations and jurisdictions.

The real ledger is not public. This module builds a synthetic one that reproduces every published
cumulative figure at its date (see ``CHECKPOINTS``), so that the dashboard's as-of control shows,
for example, exactly the figures presented at Brussels VIII on 29 May 2024. Between published
points the targets are our own interpolations; the whole sample is labelled illustrative.

How the construction guarantees the targets:

- Each investigation is "opened" by one request (its opener); every other request is a follow-up
  to an investigation opened earlier. So distinct investigations among requests received by a date
  equals the openers received by then, and distinct jurisdictions equals the jurisdictions of those
  openers.
- A follow-up is supported only after its investigation's opener was supported. So distinct
  investigations supported by a date equals the openers supported by then.
- Within each interval between checkpoints, exactly the target number of receipts, openers, new
  jurisdictions, supports and opener-supports are drawn; a seeded generator places them in time.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

SEED = 20240529
START = date(2018, 6, 1)  # The IIIM became operational in 2018; no request before this day.
END = date(2025, 12, 8)  # The latest published figure (IIIM Bulletin No. 14); the sample stops here.


@dataclass(frozen=True)
class Checkpoint:
    """Cumulative targets at one date. ``published`` names the targets a source published."""

    on: date
    received: int
    jurisdictions: int
    investigations_related: int
    supported: int
    investigations_supported: int
    published: tuple[str, ...] = ()


# Published values (see ../shared/sources/iiim_public_figures.md) are listed in ``published``; every
# other number is an interpolation chosen to keep growth plausible and the construction feasible.
CHECKPOINTS: tuple[Checkpoint, ...] = (
    Checkpoint(START, 0, 0, 0, 0, 0),
    Checkpoint(date(2019, 3, 7), 15, 5, 13, 4, 4, ("received", "jurisdictions")),
    Checkpoint(date(2019, 4, 23), 23, 6, 20, 8, 7, ("received",)),
    Checkpoint(date(2020, 4, 30), 60, 9, 52, 30, 26),
    Checkpoint(date(2021, 3, 15), 100, 12, 84, 60, 50, ("received", "investigations_related")),
    Checkpoint(date(2022, 4, 29), 190, 14, 150, 130, 100),
    Checkpoint(date(2023, 4, 25), 262, 15, 206, 185, 138, ("investigations_supported",)),
    Checkpoint(date(2023, 6, 12), 280, 15, 218, 195, 141, ("received", "jurisdictions")),
    Checkpoint(date(2023, 6, 15), 281, 15, 219, 197, 143, ("investigations_supported",)),
    Checkpoint(
        date(2024, 4, 24),
        367,
        16,
        271,
        254,
        185,
        ("received", "jurisdictions", "investigations_related", "supported", "investigations_supported"),
    ),
    Checkpoint(
        date(2024, 5, 29),
        375,
        16,
        276,
        261,
        192,
        ("received", "jurisdictions", "supported", "investigations_supported"),
    ),
    Checkpoint(date(2024, 12, 17), 400, 16, 296, 285, 210, ("received", "jurisdictions")),
    Checkpoint(
        date(2025, 4, 29),
        466,
        16,
        321,
        318,
        228,
        ("received", "jurisdictions", "investigations_related"),
    ),
    Checkpoint(
        date(2025, 9, 19),
        500,
        17,
        338,
        340,
        244,
        ("received", "jurisdictions", "investigations_related"),
    ),
    # "More than 530" requests were published for this date: 534 honours that lower bound.
    Checkpoint(END, 534, 17, 350, 352, 256, ("investigations_supported",)),
)

# Placeholder jurisdictions: no invented figure is ever attached to a real country.
# (id, name, kind, region, disclose_name, weight): weight sets how often it opens investigations.
JURISDICTIONS: tuple[tuple[str, str, str, str, bool, float], ...] = (
    ("J01", "Jurisdiction A", "national", "Europe", True, 10.0),
    ("J02", "Jurisdiction B", "national", "Europe", True, 8.0),
    ("J03", "Jurisdiction C", "national", "Europe", False, 6.0),
    ("J04", "Jurisdiction D", "national", "Europe", True, 5.0),
    ("J05", "Jurisdiction E", "national", "Europe", False, 4.0),
    ("J06", "Jurisdiction F", "national", "Europe", True, 3.5),
    ("J07", "Jurisdiction G", "national", "North America", True, 3.0),
    ("J08", "Jurisdiction H", "national", "Europe", False, 2.5),
    ("J09", "Jurisdiction I", "national", "Europe", False, 2.0),
    ("J10", "Jurisdiction J", "national", "North America", False, 1.5),
    ("J11", "Jurisdiction K", "national", "Europe", True, 1.2),
    ("J12", "Jurisdiction L", "national", "Europe", False, 1.0),
    ("J13", "Jurisdiction M", "national", "Asia-Pacific", False, 0.6),
    ("J14", "Jurisdiction N", "international", "International", True, 0.5),
    ("J15", "Jurisdiction O", "national", "Europe", False, 0.4),
    ("J16", "Jurisdiction P", "national", "Middle East and North Africa", False, 0.3),
    ("J17", "Jurisdiction Q", "national", "Latin America", False, 0.3),
)

ASSISTANCE_WEIGHTS = {
    "evidence_sharing": 0.45,
    "analytical_product": 0.25,
    "witness_identification": 0.2,
    "legal_advice": 0.1,
}
MIN_DAYS_TO_DECISION = 14  # Assume: no request is supported within two weeks of receipt.
RECENT_DAYS = 150  # Assume: unsupported requests younger than this are still pending at END.


@dataclass
class _Request:
    index: int
    received: date
    opener: bool = False
    jurisdiction: str = ""
    investigation: int = -1
    supported_on: date | None = None


def _dates_in(rng: random.Random, start: date, end: date, count: int) -> list[date]:
    """``count`` sorted random days in the half-open interval (start, end]."""
    span = (end - start).days
    return sorted(start + timedelta(days=rng.randint(1, span)) for _ in range(count))


def _intervals() -> list[tuple[Checkpoint, Checkpoint]]:
    return list(zip(CHECKPOINTS, CHECKPOINTS[1:], strict=False))


def _draw_receipts(rng: random.Random) -> list[_Request]:
    """Place receipts, openers and new jurisdictions interval by interval."""
    requests: list[_Request] = []
    next_jurisdiction = 0
    introduced: list[str] = []
    for before, after in _intervals():
        days = _dates_in(rng, before.on, after.on, after.received - before.received)
        batch = [_Request(len(requests) + i, d) for i, d in enumerate(days)]
        n_openers = after.investigations_related - before.investigations_related
        openers = sorted(rng.sample(range(len(batch)), n_openers))
        if not requests and openers and openers[0] != 0:
            openers[0] = 0  # The very first request must open an investigation.
        new_j = set(rng.sample(openers, after.jurisdictions - before.jurisdictions))
        if not requests:
            new_j = (new_j - {max(new_j)}) | {0} if 0 not in new_j else new_j
        for i in openers:
            req = batch[i]
            req.opener = True
            if i in new_j:
                req.jurisdiction = JURISDICTIONS[next_jurisdiction][0]
                next_jurisdiction += 1
                introduced.append(req.jurisdiction)
        for i in openers:
            if not batch[i].jurisdiction:
                weights = [j[5] for j in JURISDICTIONS if j[0] in introduced]
                batch[i].jurisdiction = rng.choices(introduced, weights=weights)[0]
        requests.extend(batch)
    # Jurisdictions are introduced in the order openers arrive, so re-key them by time.
    _rekey_jurisdictions(requests)
    for investigation, req in enumerate(r for r in requests if r.opener):
        req.investigation = investigation
    return requests


def _rekey_jurisdictions(requests: list[_Request]) -> None:
    order: list[str] = []
    for req in requests:
        if req.opener and req.jurisdiction not in order:
            order.append(req.jurisdiction)
    mapping = {old: JURISDICTIONS[i][0] for i, old in enumerate(order)}
    for req in requests:
        if req.jurisdiction:
            req.jurisdiction = mapping[req.jurisdiction]


def _pick(rng: random.Random, pool: list[_Request], on: date) -> _Request | None:
    for min_days in (MIN_DAYS_TO_DECISION, 1, 0):
        eligible = [r for r in pool if (on - r.received).days >= min_days]
        if eligible:
            recent = [r for r in eligible if (on - r.received).days <= 400]
            return rng.choice(recent or eligible)
    return None


def _draw_supports(rng: random.Random, requests: list[_Request]) -> None:
    """Place supports so that supported requests and supported investigations hit every target."""
    first_support: dict[int, date] = {}
    opener_of = {r.investigation: r for r in requests if r.opener}
    for before, after in _intervals():
        n_support = after.supported - before.supported
        n_first = after.investigations_supported - before.investigations_supported
        days = _dates_in(rng, before.on, after.on, n_support)
        kinds = [True] * n_first + [False] * (n_support - n_first)
        rng.shuffle(kinds)
        for drawn, is_first in zip(days, kinds, strict=True):
            # A support drawn before anything could be supported slides forward, within its interval.
            for on in _days_from(drawn, after.on):
                req = _try_support(rng, requests, opener_of, first_support, on, is_first)
                if req is not None:
                    break
            else:
                raise ValueError(f"no support fits between {drawn} and {after.on}: checkpoints infeasible")
            req.supported_on = on
            if is_first:
                first_support[req.investigation] = on


def _days_from(start: date, end: date) -> list[date]:
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


def _try_support(
    rng: random.Random,
    requests: list[_Request],
    opener_of: dict[int, _Request],
    first_support: dict[int, date],
    on: date,
    is_first: bool,
) -> _Request | None:
    if is_first:
        pool = [r for r in requests if r.opener and r.supported_on is None and r.received <= on]
        return _pick(rng, pool, on)
    return _pick_follow_up(rng, requests, opener_of, first_support, on)


def _pick_follow_up(
    rng: random.Random,
    requests: list[_Request],
    opener_of: dict[int, _Request],
    first_support: dict[int, date],
    on: date,
) -> _Request | None:
    """A follow-up request supported on ``on``, attached to an investigation already supported."""
    pool = [r for r in requests if not r.opener and r.supported_on is None and r.received <= on]
    rng.shuffle(pool)
    for req in sorted(pool, key=lambda r: (on - r.received).days < MIN_DAYS_TO_DECISION):
        targets = [
            inv for inv, first in first_support.items() if first < on and opener_of[inv].index < req.index
        ]
        if targets:
            req.investigation = rng.choice(sorted(targets))
            return req
    return None


def _attach_remaining(rng: random.Random, requests: list[_Request]) -> None:
    """Every unsupported follow-up joins an investigation opened before it arrived."""
    openers = [r for r in requests if r.opener]
    for req in requests:
        if req.investigation < 0:
            earlier = [o.investigation for o in openers if o.index < req.index]
            req.investigation = rng.choice(earlier)
    jurisdiction_of = {o.investigation: o.jurisdiction for o in openers}
    for req in requests:
        req.jurisdiction = jurisdiction_of[req.investigation]


def _status(rng: random.Random, req: _Request) -> tuple[str, date]:
    if req.supported_on is not None:
        return "supported", req.supported_on
    if (END - req.received).days < RECENT_DAYS:
        reviewed = req.received + timedelta(days=rng.randint(3, 20))
        return ("under_review", reviewed) if reviewed <= END else ("received", req.received)
    closed = min(END, req.received + timedelta(days=rng.randint(20, 240)))
    return ("declined" if rng.random() < 0.55 else "withdrawn"), closed


def _stage(rng: random.Random, opened: date) -> tuple[str, date]:
    """Older investigations are more often further along; the stage date falls after opening."""
    years = (END - opened).days / 365
    weights = [max(0.5, 4 - years), years * 0.6, years * 0.35, years * 0.2, years * 0.1]
    stage = rng.choices(["investigation", "prosecution", "trial", "judgment", "closed"], weights)[0]
    if stage == "investigation":
        return stage, opened
    return stage, opened + timedelta(days=rng.randint(30, max(31, (END - opened).days)))


def build_ledger(seed: int = SEED) -> dict[str, pd.DataFrame]:
    """Build the illustrative ledger: ``requests``, ``investigations`` and ``jurisdictions`` tables.

    The same seed always gives the same tables, byte for byte once written as CSV.
    """
    rng = random.Random(seed)
    requests = _draw_receipts(rng)
    _draw_supports(rng, requests)
    _attach_remaining(rng, requests)
    rows = []
    for req in requests:
        status, status_on = _status(rng, req)
        rows.append(
            {
                "request_id": f"RFA-{req.index + 1:04d}",
                "received_on": req.received.isoformat(),
                "jurisdiction_id": req.jurisdiction,
                "assistance_type": rng.choices(list(ASSISTANCE_WEIGHTS), list(ASSISTANCE_WEIGHTS.values()))[
                    0
                ],
                "status": status,
                "status_on": status_on.isoformat(),
                "investigation_id": f"INV-{req.investigation + 1:04d}",
            }
        )
    investigations = []
    for opener in (r for r in requests if r.opener):
        stage, stage_on = _stage(rng, opener.received)
        investigations.append(
            {
                "investigation_id": f"INV-{opener.investigation + 1:04d}",
                "jurisdiction_id": opener.jurisdiction,
                "stage": stage,
                "stage_on": stage_on.isoformat(),
            }
        )
    jurisdictions = [
        {
            "jurisdiction_id": jid,
            "name": name,
            "kind": kind,
            "region": region,
            "iso3": "",
            "disclose_name": "true" if disclose else "false",
        }
        for jid, name, kind, region, disclose, _ in JURISDICTIONS
    ]
    return {
        "requests": pd.DataFrame(rows),
        "investigations": pd.DataFrame(investigations),
        "jurisdictions": pd.DataFrame(jurisdictions),
    }
