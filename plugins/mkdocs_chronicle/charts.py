"""Geometry of the chronicle's pictures. Templates turn it into inline SVG (no JavaScript)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .index import Index
from .model import STANCES

LANE_HEIGHT = 34
MARGIN_LEFT = 86
MARGIN_RIGHT = 16
PLOT_WIDTH = 640


@dataclass(frozen=True)
class Segment:
    """One stance's part of a day's bar."""

    stance: str
    count: int
    y: float
    height: float


@dataclass(frozen=True)
class DayBar:
    """A day's column on the home page's timeline."""

    day: dt.date
    x: float
    width: float
    statements: int
    segments: tuple[Segment, ...]

    def count(self, stance: str) -> int:
        return sum(s.count for s in self.segments if s.stance == stance)


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class DayChart:
    """Statements per day, each bar split by the stances they take on claims."""

    width: int
    height: int
    plot_top: int
    plot_bottom: int
    bars: tuple[DayBar, ...]
    ticks: tuple[Tick, ...]
    most: int


@dataclass(frozen=True)
class Mark:
    """One statement on a claim's timeline."""

    statement_id: str
    x: float
    y: float
    stance: str
    actor: str
    day: dt.date


@dataclass(frozen=True)
class VerdictLine:
    """A dated verdict drawn across the claim's timeline."""

    x: float
    day: dt.date
    rating: str


@dataclass(frozen=True)
class ClaimChart:
    """A claim's statements on a date axis, one lane per stance, with its verdicts."""

    width: int
    height: int
    lanes: tuple[tuple[str, float], ...]
    marks: tuple[Mark, ...]
    verdicts: tuple[VerdictLine, ...]
    ticks: tuple[Tick, ...]
    axis_y: float


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _short_date(day: dt.date) -> str:
    return f"{day.day} {_MONTHS[day.month - 1]}"


def _ticks(first: dt.date, last: dt.date, step: float) -> tuple[Tick, ...]:
    span = (last - first).days
    every = max(1, round(span / 8))
    days = [first + dt.timedelta(days=i) for i in range(0, span + 1, every)]
    return tuple(Tick(round(MARGIN_LEFT + (d - first).days * step, 1), _short_date(d)) for d in days)


def day_chart(index: Index, plot_height: int = 140) -> DayChart:
    """The home page's timeline: one bar per day with statements, stacked by stance."""
    days = index.days
    width = MARGIN_LEFT + PLOT_WIDTH + MARGIN_RIGHT
    top, bottom = 12, 12 + plot_height
    if not days:
        return DayChart(width, bottom + 30, top, bottom, (), (), 0)
    counts = {day: _stance_counts(index, day) for day in days}
    most = max(max(sum(c.values()), len(index.by_day[day])) for day, c in counts.items()) or 1
    slot = PLOT_WIDTH / len(days)
    bars = []
    for i, day in enumerate(days):
        y = float(bottom)
        segments = []
        for stance in (*STANCES, "none"):
            count = counts[day][stance]
            if count:
                height = plot_height * count / most
                y -= height
                segments.append(Segment(stance, count, round(y, 1), round(height, 1)))
        x = MARGIN_LEFT + i * slot + slot * 0.15
        bars.append(DayBar(day, round(x, 1), round(slot * 0.7, 1), len(index.by_day[day]), tuple(segments)))
    every = max(1, round(len(days) / 8))
    ticks = tuple(Tick(round(b.x + b.width / 2, 1), _short_date(b.day)) for b in bars[::every])
    return DayChart(width, bottom + 30, top, bottom, tuple(bars), ticks, most)


def _stance_counts(index: Index, day: dt.date) -> dict[str, int]:
    """Stances taken on claims that day (a statement bearing on two claims counts twice);
    statements that bear on no claim count as "none"."""
    counts = dict.fromkeys((*STANCES, "none"), 0)
    for statement in index.by_day[day]:
        for link in statement.claims:
            counts[link.stance] += 1
        if not statement.claims:
            counts["none"] += 1
    return counts


def claim_chart(index: Index, claim_id: str) -> ClaimChart:
    """A claim's timeline over the whole chronicle's span (so claims can be compared)."""
    claim = index.chronicle.claims[claim_id]
    mentions = index.by_claim.get(claim_id, ())
    dates = [*index.days, *(v.date for v in claim.verdicts)]
    first, last = (min(dates), max(dates)) if dates else (dt.date(2000, 1, 1), dt.date(2000, 1, 1))
    span = max((last - first).days, 1)
    step = PLOT_WIDTH / span
    lanes = tuple((stance, 20 + i * LANE_HEIGHT + LANE_HEIGHT / 2) for i, stance in enumerate(STANCES))
    lane_y = dict(lanes)
    axis_y = 20 + len(STANCES) * LANE_HEIGHT + 4
    stacked: dict[tuple[dt.date, str], int] = {}
    marks = []
    for mention in mentions:
        statement = mention.statement
        n = stacked.get((statement.day, mention.stance), 0)
        stacked[(statement.day, mention.stance)] = n + 1
        # Same day, same stance: spread the marks sideways within the day, then up a row,
        # never exactly on top of one another (each stays visible and clickable).
        dx = (0, -6, 6, -12, 12)[n % 5]
        dy = -(n // 5) * 7
        x = MARGIN_LEFT + (statement.day - first).days * step + dx
        marks.append(
            Mark(
                statement.id,
                round(x, 1),
                round(lane_y[mention.stance] + dy, 1),
                mention.stance,
                index.chronicle.actors[statement.actor].name,
                statement.day,
            )
        )
    verdicts = tuple(
        VerdictLine(round(MARGIN_LEFT + (v.date - first).days * step, 1), v.date, v.rating) for v in claim.verdicts
    )
    return ClaimChart(
        MARGIN_LEFT + PLOT_WIDTH + MARGIN_RIGHT,
        int(axis_y + 34),
        lanes,
        tuple(marks),
        verdicts,
        _ticks(first, last, step),
        axis_y,
    )
