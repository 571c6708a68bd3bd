"""How mpf's values show in a notebook."""

import html
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


def dataframe_bundle(payload):
    """text/html of a dataframe: pandas' table (long ones cut as pandas does), units in the header."""
    df = frame(payload)
    units = df.attrs["units"]
    shown = df.rename(columns={c: f"{c} ({units[c]})" for c in df.columns if c in units})
    rows = len(df)
    table = shown.to_html(max_rows=60, na_rep="", border=0, classes="dataframe mpf")
    caption = f"<p style='font-size:smaller'>{rows} rows"
    if payload.get("dir"):
        caption += " · results: " + html.escape(payload["dir"])
    return {"text/html": table + caption + "</p>"}


def error_line(message):
    """A Lua error's message without its `stdin:3: ` and the cell's line it names (or None)."""
    found = re.match(r"^stdin:(\d+): ?", message)
    return (message[found.end():], int(found.group(1))) if found else (message, None)
