"""Registry of progress methods by name, and the steps every CAGR-based method shares.

`METHODS` maps a method name to a callable `(panel, settings, **options) -> pandas.DataFrame`. Every entry
imports its module on first call, so the registry can be imported (and listed) before a method module
exists and without import cycles: the method modules import the shared helpers below from here.

The private helpers locate each series' base and current points and collect, per series, the first
reason it cannot be assessed. They work on whole arrays; nothing loops over series.
"""

from importlib import import_module

import numpy as np
import pandas as pd

from .panel import Panel, Settings, check_inputs

__all__ = ["METHODS", "assess"]

_ENTRIES = {
    "opensdg": ("opensdg", "assess"),
    "unsd2022": ("unsd", "assess_2022"),
    "unsd2023": ("unsd", "assess_2023"),
    "eurostat": ("eurostat", "assess"),
    "mdg_path": ("mdg_path", "assess"),
}


class _Lazy:
    """A method imported on first call, so a missing or slow module costs nothing until it is used."""

    def __init__(self, module: str, name: str):
        self.module, self.name = module, name

    def load(self):
        return getattr(import_module(f"{__package__}.{self.module}"), self.name)

    def __call__(self, panel, settings, **options) -> pd.DataFrame:
        return self.load()(panel, settings, **options)

    def __repr__(self) -> str:
        return f"<progress method {self.module}.{self.name}>"


METHODS = {name: _Lazy(module, function) for name, (module, function) in _ENTRIES.items()}


def assess(method: str, panel: Panel, settings: Settings, **options) -> pd.DataFrame:
    """Assess every series of `panel` with the method registered as `method`.

    Parameters
    ----------
    method : str
        A key of `METHODS`: ``"opensdg"``, ``"unsd2022"``, ``"unsd2023"``, ``"eurostat"`` or ``"mdg_path"``.
    panel : Panel
        The series.
    settings : Settings
        Per-series base year, target year, direction, target and natural limit.
    **options
        Passed to the method (see each method's docstring).

    Returns
    -------
    pandas.DataFrame
        One row per series (index ``panel.labels``) with at least the columns status, reason, base_year,
        base_value, current_year, current_value and progress_value.

    Raises
    ------
    ValueError
        When `method` is not registered.
    """
    try:
        function = METHODS[method]
    except (KeyError, TypeError):
        raise ValueError(f"`method` must be one of {sorted(METHODS)}; got {method!r}.") from None
    return function(panel, settings, **options)


# ----------------------------------------------------------------------------------------------------
# Shared steps of the method modules (private).


class _Reasons:
    """Per series, the first reason it cannot be assessed; '' while none applies. Codes, not strings."""

    def __init__(self, n: int):
        self.code = np.zeros(n, dtype=np.int16)
        self.texts = [""]

    def add(self, mask, text: str) -> None:
        """Give `text` to the series in `mask` that have no reason yet."""
        self.texts.append(text)
        mask = np.asarray(mask, dtype=bool)
        self.code[(self.code == 0) & mask] = len(self.texts) - 1

    @property
    def ok(self) -> np.ndarray:
        return self.code == 0

    def array(self) -> np.ndarray:
        return np.array(self.texts, dtype=object)[self.code]


class _Points:
    """Base point (first observation in or after the base year) and current point (latest observation)."""

    def __init__(self, panel: Panel, settings: Settings, base_year=None):
        check_inputs(panel, settings)
        self.n = panel.n
        self.direction = settings.direction
        wanted = settings.base_year if base_year is None else np.broadcast_to(
            np.asarray(base_year, "float64"), (panel.n,))
        base_row = panel.first_at_or_after(wanted)
        current_row = panel.last()
        self.base_year = panel.take(panel.year, base_row)
        self.base_value = panel.take(panel.value, base_row)
        self.current_year = panel.take(panel.year, current_row)
        self.current_value = panel.take(panel.value, current_row)
        r = self.reasons = _Reasons(panel.n)
        count = panel.count
        r.add(panel.duplicated, "duplicate years")
        r.add(count == 0, "no data")
        r.add(count == 1, "fewer than two years of data")
        r.add(~((self.direction == 1) | (self.direction == -1)), "direction must be +1 or -1")
        r.add(~np.isfinite(wanted), "no base year")
        r.add(base_row < 0, "no data in or after the base year")
        r.add(base_row == current_row, "no data after the base year")

    def require_cagr_values(self, base_value=None, current_value=None) -> None:
        """CAGR needs a positive base value and a current value that is not negative."""
        v0 = self.base_value if base_value is None else base_value
        v1 = self.current_value if current_value is None else current_value
        r = self.reasons
        r.add(v0 == 0, "base value is zero")
        r.add(np.sign(v0) * np.sign(v1) < 0, "values change sign")
        r.add(v0 < 0, "negative values")

    def require_target(self, target, target_year, *, zero_allowed: bool) -> None:
        """A finite target, a target year after the base year and, for CAGR, a positive target."""
        r = self.reasons
        r.add(~np.isfinite(target), "no target")
        r.add(~np.isfinite(target_year), "no target year")
        r.add(target_year <= self.base_year, "target year is not after the base year")
        if not zero_allowed:
            r.add(target == 0, "target is zero")
            r.add(np.sign(target) * np.sign(self.base_value) < 0, "target and base value differ in sign")


def _meets(value, target, direction) -> np.ndarray:
    """True where `value` is at or beyond `target` in the desired `direction` (False where undefined)."""
    with np.errstate(all="ignore"):
        return direction * (value - target) >= 0


def _band(ratio, cuts) -> np.ndarray:
    """Index of the first cut-off `ratio` reaches (ratio >= cut), len(cuts) if none; NaN goes last."""
    return np.select([ratio >= cut for cut in cuts], np.arange(len(cuts)), default=len(cuts))


def _frame(panel: Panel, statuses: tuple, code: np.ndarray, points: _Points, progress, *, settings=None,
           computed=None) -> pd.DataFrame:
    """The result table: status and reason first, then the points, the key ratio and the method's columns.

    `settings` columns are shown as given; `computed` columns, like `progress`, are NaN where the series
    cannot be assessed (so no half-computed number is ever shown next to 'not_available').
    """
    ok = points.reasons.ok
    code = np.where(ok, code, statuses.index("not_available"))
    data = {
        "status": np.array(statuses, dtype=object)[code],
        "reason": points.reasons.array(),
        "base_year": points.base_year,
        "base_value": points.base_value,
        "current_year": points.current_year,
        "current_value": points.current_value,
        "progress_value": np.where(ok, progress, np.nan),
    }
    data.update(settings or {})
    for name, column in (computed or {}).items():
        column = np.asarray(column)
        data[name] = np.where(ok, column, False if column.dtype == bool else np.nan)
    return pd.DataFrame(data, index=pd.Index(panel.labels, name="series"))
