"""mpf's stored results as pandas DataFrames: rows through `mpf show --format json` (units parsed
exactly as mpf does), the experiment's facts from its experiment.yaml."""

import json
import subprocess
from pathlib import Path

import pandas as pd
import yaml

from .process import find_binary

FACTS = ("id", "started", "seed", "n_runs", "planned_runs", "machines", "software", "cluster", "stopped")


def load(directory, binary=None):
    """One row per run: each variable (value, and NAME_label where it has labels), repetition,
    status, error, every result in base units. df.attrs: units {column: unit}, the
    experiment's facts (id, seed, machines, git, software, ...), dir."""
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
    df.attrs.update(facts(directory))
    df.attrs["units"] = units
    df.attrs["dir"] = str(directory)
    return df


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
    else the experiment's id). attrs: the facts of each, by label."""
    frames, attrs = [], {}
    for index, directory in enumerate(directories):
        df = load(directory, binary=binary)
        label = labels[index] if labels else (df.attrs.get("id") or Path(directory).name)
        attrs[label] = dict(df.attrs)
        frames.append(df.assign(experiment=label))
    merged = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    merged.attrs["experiments"] = attrs
    return merged
