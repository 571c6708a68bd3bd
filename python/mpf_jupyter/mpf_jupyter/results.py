"""mpf's stored results as pandas DataFrames: rows through `mpf show --format json` (units parsed
exactly as mpf does), the experiment's facts from its experiment.yaml."""

import json
import subprocess
from pathlib import Path

import pandas as pd
import yaml

from .process import find_binary

FACTS = ("id", "label", "started", "seed", "n_runs", "planned_runs", "machines", "software", "cluster", "stopped")


def load(directory, binary=None, long=False):
    """One row per run: each variable (value, and NAME_label where it has labels), repetition,
    status, error, every result in base units. df.attrs: units {column: unit}, the
    experiment's facts (id, seed, machines, git, software, ...), dir.

    long=True: each machine's results in long form: a run whose role has several machines
    (results `goodput@client1`, `goodput@client2`) gives one row per machine, with a
    `machine` column (the worker's name, client1) and the result under its own name (goodput);
    the run's other columns are repeated on each. A run with no per-machine result keeps one
    row, its `machine` empty."""
    directory = Path(directory)
    shown = subprocess.run([binary or find_binary(), "show", str(directory), "--format", "json"],
                           capture_output=True, text=True)
    if shown.returncode != 0:
        raise ValueError(f"mpf show {directory}: {shown.stderr.strip()}")
    rows = json.loads(shown.stdout)
    df = pd.DataFrame(rows)
    units = {}
    for column in [c for c in df.columns if c.endswith("_unit")]:
        name = column[: -len("_unit")]
        if name in df.columns:
            given = df[column].dropna().unique()
            if len(given):
                units[name] = given[0]
            df = df.drop(columns=column)
    if long:
        df, units = long_form(df, units)
    df.attrs.update(facts(directory))
    df.attrs["units"] = units
    df.attrs["dir"] = str(directory)
    return df


def long_form(df, units):
    """One row per run and machine from the `NAME@WORKER` columns (see load)."""
    per_machine = [c for c in df.columns if "@" in c]
    if not per_machine:
        return df.assign(machine=None), units
    shared = [c for c in df.columns if c not in per_machine]
    workers = sorted({c.split("@", 1)[1] for c in per_machine})
    rows = []
    for record in df.to_dict("records"):
        mine = [w for w in workers if any(record.get(c) == record.get(c) and record.get(c) is not None for c in per_machine if c.endswith("@" + w))]
        for worker in mine or [None]:
            row = {c: record[c] for c in shared}
            row["machine"] = worker
            for column in per_machine:
                name, who = column.split("@", 1)
                if who == worker:
                    row[name] = record[column]
            rows.append(row)
    names = list(dict.fromkeys(c.split("@", 1)[0] for c in per_machine))
    out = pd.DataFrame(rows, columns=list(dict.fromkeys(shared + ["machine"] + names)))
    kept = {c: u for c, u in units.items() if "@" not in c}
    for column, unit in units.items():
        if "@" in column:
            kept.setdefault(column.split("@", 1)[0], unit)
    return out, kept


def facts(directory):
    """The experiment's facts: seed, machines, git, software commits, ... (experiment.yaml)."""
    with open(Path(directory) / "experiment.yaml") as file:
        record = yaml.safe_load(file) or {}
    found = {key: record.get(key) for key in FACTS if key in record}
    script = record.get("script") or {}
    found["git"] = script.get("git")
    found["script"] = script.get("path")
    return found


def load_many(directories, labels=None, binary=None):
    """Several experiments in one DataFrame with an `experiment` column: its label (labels[i],
    else the label stored with it, `mpf run --label`, else its id). attrs: the facts of each, by label."""
    frames, attrs = [], {}
    for index, directory in enumerate(directories):
        df = load(directory, binary=binary)
        label = labels[index] if labels else (df.attrs.get("label") or df.attrs.get("id") or Path(directory).name)
        attrs[label] = dict(df.attrs)
        frames.append(df.assign(experiment=label))
    merged = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    merged.attrs["experiments"] = attrs
    return merged
