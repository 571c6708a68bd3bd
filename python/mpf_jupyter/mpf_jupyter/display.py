"""How mpf's values show in a notebook."""

import html
import math
import numbers
import re

import pandas as pd


def frame(payload):
    """A pandas DataFrame of mpf's dataframe display ({columns, units, data}), values in base
    units; the units in attrs."""
    df = pd.DataFrame(payload["data"], columns=payload["columns"])
    df.attrs["units"] = payload.get("units", {})
    if payload.get("dir"):
        df.attrs["dir"] = payload["dir"]
    return df


def format_number(value, digits=6):
    """A number to `digits` significant digits, as mpf's tables write it (NumberText.formatNumber)."""
    if value != value:
        return "nan"
    if math.isinf(value):
        return "-inf" if value < 0 else "inf"
    if value == 0:
        return "0"
    scale = 10.0 ** (digits - 1 - math.floor(math.log10(abs(value))))
    if not math.isfinite(scale) or scale <= 0:
        return repr(float(value))
    rounded = math.copysign(math.floor(abs(value) * scale + 0.5), value) / scale
    if rounded == int(rounded) and abs(rounded) < 1e15:
        return str(int(rounded))
    return repr(rounded)


PREFIXES = [(1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k"), (1, ""), (1e-3, "m"), (1e-6, "µ"), (1e-9, "n")]
BINARY = [(1 << 40, "Ti"), (1 << 30, "Gi"), (1 << 20, "Mi"), (1 << 10, "Ki")]


def with_prefix(value, unit, digits=6):
    """A value in base units as mpf's tables show it (DataFrame.formatWithPrefix): 9.41 Gbits/s,
    1.5 ms, 16 KiB; anything not a number as it is."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return "" if value is None or value != value else str(value)
    if value != value:  # no value (a failed run)
        return ""
    value = float(value) if not isinstance(value, int) else value
    magnitude = abs(value)
    if not math.isfinite(value) or magnitude == 0 or unit == "%":
        return f"{format_number(value, digits)} {unit}"
    if unit in ("bytes", "bytes/s"):
        for factor, prefix in BINARY:
            if magnitude >= factor:
                return f"{format_number(value / factor, digits)} {prefix}B" + ("/s" if unit == "bytes/s" else "")
        return f"{format_number(value, digits)} {unit}"
    factor, prefix = next(((f, p) for f, p in PREFIXES if magnitude >= f * 0.9995), (1e-9, "n"))
    scaled = value * round(1 / factor) if factor < 1 else value / factor
    return f"{format_number(scaled, digits)} {prefix}{unit}"


def dataframe_bundle(payload):
    """text/html of a dataframe: pandas' table (long ones cut as pandas does), each value with
    a unit shown with its prefix as mpf's text table shows it (9.41 Gbits/s); the data keeps
    the numbers in base units."""
    df = frame(payload)
    units = df.attrs["units"]
    formatters = {c: (lambda unit: lambda v: with_prefix(v, unit))(units[c]) for c in df.columns if c in units}
    table = df.to_html(max_rows=60, na_rep="", border=0, classes="dataframe mpf", formatters=formatters)
    caption = f"<p style='font-size:smaller'>{len(df)} rows"
    if payload.get("dir"):
        caption += " · results: " + html.escape(payload["dir"])
    return {"text/html": table + caption + "</p>"}


def error_line(message):
    """A Lua error's message without its `stdin:3: ` and the cell's line it names (or None)."""
    found = re.match(r"^stdin:(\d+): ?", message)
    return (message[found.end():], int(found.group(1))) if found else (message, None)
