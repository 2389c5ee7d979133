"""Age bands of the statistics: half-open, non-overlapping, cut where the law cuts."""

from __future__ import annotations

from dataclasses import dataclass

from repatriation.domain.errors import ValidationError

UNKNOWN = "unknown"


@dataclass(frozen=True)
class AgeBands:
    """Age bands by lower bounds: ``(10, 15, 16, 18)`` gives <10, 10-14, 15, 16-17, 18+.

    Bands written "15-16, 16-17" overlap at 16, so the defaults are half-open and non-overlapping,
    cut where the law cuts: under 16 (Penal Code art. 151, Law on Children) and under 18 (Law
    53/2024). Unknown ages form their own band.
    """

    starts: tuple[int, ...] = (10, 15, 16, 18)

    def __post_init__(self) -> None:
        if not self.starts or list(self.starts) != sorted(set(self.starts)) or self.starts[0] <= 0:
            raise ValidationError("bad_age_bands", starts=self.starts)

    @property
    def bands(self) -> tuple[tuple[int, int | None], ...]:
        """(low, high) inclusive; ``high`` None for the open top band."""
        lows = (0, *self.starts)
        highs: tuple[int | None, ...] = (*(s - 1 for s in self.starts), None)
        return tuple(zip(lows, highs, strict=True))

    @property
    def codes(self) -> tuple[str, ...]:
        """Band codes in order ("<10", "10-14", "15", "16-17", "18+"), then "unknown"."""
        return (*(band_code(low, high) for low, high in self.bands), UNKNOWN)

    def code_for(self, age: int | None) -> str:
        """The band of an age."""
        if age is None:
            return UNKNOWN
        for low, high in self.bands:
            if age >= low and (high is None or age <= high):
                return band_code(low, high)
        raise AssertionError("bands cover every age")  # pragma: no cover

    @classmethod
    def parse(cls, text: str) -> AgeBands:
        """From "10,15,16,18" (the lower bounds after the first band)."""
        try:
            return cls(tuple(int(part) for part in text.split(",") if part.strip()))
        except ValueError:
            raise ValidationError("bad_age_bands", starts=text) from None


def band_code(low: int, high: int | None) -> str:
    """The code of one band."""
    if high is None:
        return f"{low}+"
    if low == 0:
        return f"<{high + 1}"
    return str(low) if low == high else f"{low}-{high}"


__all__ = ["UNKNOWN", "AgeBands", "band_code"]
