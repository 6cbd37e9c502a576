"""Progress towards targets, for many series at once.

One module per method family; each exposes a function `assess(panel, config) -> pandas.DataFrame` with one
row per series. See `panel.py` for the input and `methods.py` for the registry of method names.
"""
