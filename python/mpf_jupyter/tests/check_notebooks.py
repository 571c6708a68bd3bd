"""Executes notebooks with the real `mpf` kernel (nbclient, jupyter_client) and checks what
they show, and that mpf_jupyter.load agrees with `mpf show`. Run by NotebookTests (make test)
as `.venv/bin/python python/mpf_jupyter/tests/check_notebooks.py WORKDIR`; prints one line per
check and exits 1 on the first failure."""

import json
import subprocess
import sys
import time
from pathlib import Path

import nbclient
import nbformat
from jupyter_client.manager import start_new_kernel

import mpf_jupyter
from mpf_jupyter.process import find_binary

WORK = Path(sys.argv[1]).resolve()
EXPERIMENT = """mpf.add_variable('x', mpf.range(1, 3))
mpf.add_variable('op', {add = 'plus', mul = 'times'})
mpf.run{role = 'a'}(function(x, op)
  print('run', x, op)
  return {t = (x * 2) .. 'ms', size = x .. ' KiB'}
end)
df = mpf.run_experiment{n_runs = 1}
df"""


def check(name, condition, detail=""):
    print(("ok    " if condition else "FAIL  ") + name + ("" if condition else ": " + str(detail)[:2000]), flush=True)
    if not condition:
        sys.exit(1)


def outputs(cell, kind):
    return [o for o in cell.outputs if o.output_type == kind]


def notebook():
    nb = nbformat.v4.new_notebook()
    nb.metadata.kernelspec = {"name": "mpf", "display_name": "mpf", "language": "lua"}
    nb.cells = [nbformat.v4.new_code_cell(c) for c in [
        "print('hello')\nlocal x = 20\nx * 2 + 2",
        EXPERIMENT,
        "df:plot{y = 't', x = 'x'}",
        "local a = 1\nerror('boom')",
        "for i = 1, 2 do\n  print('line ' .. i)\nend",
    ]]
    nbclient.NotebookClient(nb, timeout=120, kernel_name="mpf", allow_errors=True, resources={"metadata": {"path": str(WORK)}}).execute()
    nbformat.write(nb, WORK / "executed.ipynb")
    first, table, plot, error, loop = nb.cells
    check("print streams into the cell", any("hello" in o.text for o in outputs(first, "stream")), first.outputs)
    check("a loop's last call is no final expression (every turn runs)", "".join(o.text for o in outputs(loop, "stream")) == "line 1\nline 2\n", loop.outputs)
    check("a final expression is shown", [o.data["text/plain"] for o in outputs(first, "execute_result")] == ["42"], first.outputs)
    html = [o.data.get("text/html", "") for o in outputs(table, "execute_result")]
    check("a dataframe shows as an HTML table", html and "<table" in html[0] and html[0].count("<tr") == 7 and "t (s)" in html[0], table.outputs)
    check("a variable's labels show in the table", html and "<td>times</td>" in html[0] and "<td>mul</td>" not in html[0], html)
    progress = [o for o in table.outputs if o.output_type == "display_data"]
    check("an experiment shows one progress display", len(progress) == 1, table.outputs)
    svg = [o.data.get("image/svg+xml", "") for o in outputs(plot, "execute_result")]
    check("df:plot shows an inline SVG", svg and "<svg" in svg[0], plot.outputs)
    errors = outputs(error, "error")
    check("a Lua error is an error output with the cell's line", errors and errors[0].evalue == "line 2 of the cell: boom", error.outputs)
    directories = sorted((WORK / "mpf_experiments").iterdir(), key=lambda p: p.stat().st_mtime)
    check("the results directory is beside the notebook", len(directories) == 1, directories)
    return directories[0]


def reader(directory):
    df = mpf_jupyter.load(directory)
    shown = json.loads(subprocess.run([find_binary(), "show", str(directory), "--format", "json"], capture_output=True, text=True, check=True).stdout)
    check("load has one row per run", len(df) == len(shown) == 6, df)
    wrong = []
    for row, expected in zip(df.to_dict("records"), shown):
        for key, value in expected.items():
            if key.endswith("_unit"):
                got = df.attrs["units"].get(key[:-5])
            else:
                got = row[key]
                got = None if got != got else got  # NaN: no value
            if got != value:
                wrong.append((key, got, value))
    check("load agrees with mpf show (values, labels, units)", not wrong, wrong)
    check("units parsed as mpf does ('2ms' is 0.002 s)", sorted(df["t"])[0] == 0.002 and df.attrs["units"]["t"] == "s", df)
    check("labels kept", set(df["op_label"]) == {"plus", "times"}, df.columns)
    check("the experiment's facts in attrs", isinstance(df.attrs["seed"], int) and df.attrs["machines"][0]["name"] == "localhost", df.attrs)
    many = mpf_jupyter.load_many([directory, directory], labels=["a", "b"])
    check("load_many adds an experiment column", list(many["experiment"]) == ["a"] * 6 + ["b"] * 6, many)


def interactive():
    km, kc = start_new_kernel(kernel_name="mpf", cwd=str(WORK / "interrupt"))
    try:
        reply = kc.complete("x = mpf.ru", 10, reply=True, timeout=30)["content"]
        check("completion comes from the REPL's completer", "mpf.run_experiment" in reply["matches"] and reply["cursor_start"] == 4, reply)
        code = """mpf.add_variable('i', mpf.range(1, 20))
mpf.run{role = 'a'}(function(i) ex 'sleep 0.4'; return {v = i} end)
mpf.run_experiment{n_runs = 1}"""
        kc.execute(code)
        # Interrupt once a run has finished (a loaded machine takes a while to get there).
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            records = list((WORK / "interrupt").glob("mpf_experiments/*/experiment.yaml"))
            if records and "status: ok" in records[0].read_text():
                break
            time.sleep(0.2)
        km.interrupt_kernel()
        reply = kc.get_shell_msg(timeout=60)["content"]
        check("an interrupt stops the cell", reply["status"] == "error", reply)
        directories = list((WORK / "interrupt" / "mpf_experiments").iterdir())
        df = mpf_jupyter.load(directories[0])
        done = (df["status"] == "ok").sum()
        check("an interrupt keeps the finished runs", 1 <= done < 20, df)
        kc.execute("print('still here')")
        reply = kc.get_shell_msg(timeout=30)["content"]
        check("the session goes on after an interrupt", reply["status"] == "ok", reply)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)
    check("shutting down ends mpf", km.has_kernel is False or not km.is_alive())


(WORK / "interrupt").mkdir(parents=True, exist_ok=True)
reader(notebook())
interactive()
print("check_notebooks: every check passed")
