"""mpf in Jupyter: the `mpf` kernel (python -m mpf_jupyter), and mpf's results as pandas
DataFrames (load, load_many). See docs/notebook.md."""

from .results import facts, load, load_many

__all__ = ["load", "load_many", "facts"]
