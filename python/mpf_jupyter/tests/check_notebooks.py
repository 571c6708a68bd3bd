"""Executes notebooks with the real `mpf` kernel (nbclient, jupyter_client) and checks what
they show, and that mpf_jupyter.load agrees with `mpf show`. Run by NotebookTests (make test)
as `.venv/bin/python python/mpf_jupyter/tests/check_notebooks.py WORKDIR`; prints one line per
check and exits 1 on the first failure."""

import json
import os
import re
import signal
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
  return {t = (x * 2) .. 'ms', size = x .. ' KiB', rate = (x * 3.1) .. ' Gbit/s'}
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
        "function double(v)\n  return 2 * v\nend\ndouble",
        "print",
    ]]
    nbclient.NotebookClient(nb, timeout=120, kernel_name="mpf", allow_errors=True, resources={"metadata": {"path": str(WORK)}}).execute()
    nbformat.write(nb, WORK / "executed.ipynb")
    first, table, plot, error, loop, function, builtin = nb.cells
    shown = [o.data["text/plain"] for o in outputs(function, "execute_result") + outputs(builtin, "execute_result")]
    check("a function shows where it was defined, a builtin as such", shown == ["function double at stdin:1", "function print: builtin"], shown)
    printed = "".join(o.text for o in outputs(table, "stream"))
    check("what a worker's function prints streams into the cell", "[a] run\t3\tmul\n" in printed, table.outputs)
    check("print streams into the cell", any("hello" in o.text for o in outputs(first, "stream")), first.outputs)
    check("a loop's last call is no final expression (every turn runs)", "".join(o.text for o in outputs(loop, "stream")) == "line 1\nline 2\n", loop.outputs)
    check("a final expression is shown", [o.data["text/plain"] for o in outputs(first, "execute_result")] == ["42"], first.outputs)
    html = [o.data.get("text/html", "") for o in outputs(table, "execute_result")]
    check("a dataframe shows as an HTML table", html and "<table" in html[0] and html[0].count("<tr") == 7 and "<th>t</th>" in html[0], table.outputs)
    check("values with units show with prefixes, as mpf's text table", html and "<td>9.3 Gbits/s</td>" in html[0] and "<td>6 ms</td>" in html[0]
          and "<td>3 KiB</td>" in html[0] and "9.3 Gbits/s" in outputs(table, "execute_result")[0].data["text/plain"], html)
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


def example():
    """examples/iperf.ipynb runs the README's experiment (on a port of its own: ExampleTests may
    run iperf3 on the default one meanwhile)."""
    folder = WORK / "example"
    folder.mkdir(parents=True, exist_ok=True)
    nb = nbformat.read(Path(__file__).resolve().parents[3] / "examples/iperf.ipynb", 4)
    port = 20000 + os.getpid() % 20000
    for cell in nb.cells:
        cell.source = cell.source.replace("-s -1", f"-s -1 -p {port}").replace("-c $server", f"-p {port} -c $server")
    nbclient.NotebookClient(nb, timeout=150, kernel_name="mpf", allow_errors=True, resources={"metadata": {"path": str(folder)}}).execute()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    check("examples/iperf.ipynb runs without an error", not errors, errors)
    shown = [o.data for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "execute_result"]
    html = [d["text/html"] for d in shown if "text/html" in d]
    check("examples/iperf.ipynb: 16 runs, goodput in bits/s", html and html[0].count("<tr") == 17 and re.search(r"<td>[0-9.]+ [kMG]bits/s</td>", html[0]), shown)
    check("examples/iperf.ipynb: an inline graph", any("image/svg+xml" in d for d in shown), shown)


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
    check("raw numbers in the data (bits/s)", max(df["rate"]) == 9.3e9 and df.attrs["units"]["rate"] == "bits/s", df)
    check("the experiment's facts in attrs", isinstance(df.attrs["seed"], int) and df.attrs["machines"][0]["name"] == "localhost", df.attrs)
    many = mpf_jupyter.load_many([directory, directory], labels=["a", "b"])
    check("load_many adds an experiment column", list(many["experiment"]) == ["a"] * 6 + ["b"] * 6, many)


def descendants(pid):
    """Every process under pid (from /proc), by pid."""
    children = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = open(f"/proc/{entry}/stat").read()
            except OSError:
                continue
            parent = int(stat[stat.rindex(")") + 2:].split()[1])
            children.setdefault(parent, []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def alive(pids):
    def running(pid):
        try:
            return open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[0] != "Z"
        except OSError:
            return False
    return [p for p in pids if running(p)]


def gone_within(pids, seconds):
    deadline = time.monotonic() + seconds
    while alive(pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    return alive(pids)


def arrivals(kc, code, timeout=60):
    """Runs code; [(seconds since sent, message type, content)] of its iopub messages."""
    began = time.monotonic()
    sent = kc.execute(code)
    seen = []
    while True:
        message = kc.get_iopub_msg(timeout=timeout)
        if message["parent_header"].get("msg_id") != sent:
            continue
        seen.append((time.monotonic() - began, message["msg_type"], message["content"]))
        if message["msg_type"] == "status" and message["content"]["execution_state"] == "idle":
            return seen


def streaming_and_inspection():
    km, kc = start_new_kernel(kernel_name="mpf", cwd=str(WORK / "stream"))
    try:
        seen = arrivals(kc, """mpf.add_variable('i', {1})
mpf.run{role = 'a'}(function(i) print('early'); ex 'echo ex-early; sleep 2'; return {v = i} end)
df = mpf.run_experiment{n_runs = 1}""")
        first = {}
        for at, kind, content in seen:
            if kind == "stream":
                for word in ("[a] early", "[a] ex-early"):
                    if word in content["text"]:
                        first.setdefault(word, at)
        end = seen[-1][0]
        check("worker print and ex output stream as they come (before the run ends)",
              len(first) == 2 and all(end - at > 1.5 for at in first.values()), (first, end, seen))
        reply = kc.inspect("df = mpf.run_experiment{n_runs = 1}", 12, reply=True, timeout=30)["content"]
        text = reply.get("data", {}).get("text/plain", "")
        check("Shift-Tab shows mpf.run_experiment's declaration (mpf types)", reply["found"] and "mpf.run_experiment(options: mpf.ExperimentOptions?) -> mpf.DataFrame" in text
              and "shuffled order" in text and "n_runs" in text, reply)
        reply = kc.inspect("df:plot{y = 'v'}", 5, reply=True, timeout=30)["content"]
        text = reply.get("data", {}).get("text/plain", "")
        check("Shift-Tab on a dataframe method", reply["found"] and text.startswith("DataFrame:plot(spec: mpf.PlotOptions|string)") and "logy" in text, reply)
        reply = kc.inspect("nothing_known", 4, reply=True, timeout=30)["content"]
        check("Shift-Tab on an unknown name finds nothing", reply["status"] == "ok" and not reply["found"], reply)
        reply = kc.complete("df:pl", 5, reply=True, timeout=30)["content"]
        check("Tab completes a dataframe method", "df:plot" in reply["matches"] and reply["cursor_start"] == 0, reply)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)


def sessions_end():
    """Restart and a killed kernel leave no mpf, worker or command behind (by pid)."""
    km, kc = start_new_kernel(kernel_name="mpf", cwd=str(WORK / "ends"))
    try:
        code = """mpf.add_variable('i', mpf.range(1, 50))
mpf.run{role = 'a'}(function(i) print('started ' .. i); ex 'sleep 30'; return {v = i} end)
mpf.run_experiment{n_runs = 1}"""
        kc.execute(code)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not any("sleep" in open(f"/proc/{p}/cmdline").read() for p in alive(descendants(km.provisioner.pid))):
            time.sleep(0.2)
        before = descendants(km.provisioner.pid)
        check("a running experiment: mpf, a worker and its command under the kernel", len(before) >= 3, before)
        km.restart_kernel(now=False)
        left = gone_within(before, 30)
        check("restarting the kernel mid-experiment ends mpf, its workers and commands", not left, left)
        kc.wait_for_ready(timeout=30)
        kc.execute(code)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not any("sleep" in open(f"/proc/{p}/cmdline").read() for p in alive(descendants(km.provisioner.pid))):
            time.sleep(0.2)
        before = descendants(km.provisioner.pid)
        check("the restarted kernel runs experiments", len(before) >= 3, before)
        os.kill(km.provisioner.pid, signal.SIGKILL)
        left = gone_within(before, 30)
        check("a killed kernel leaves no mpf repl --machine, worker or command", not left, [open(f"/proc/{p}/cmdline").read() for p in left])
    finally:
        kc.stop_channels()
        try:
            km.shutdown_kernel(now=True)
        except Exception:
            pass


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
        kc.execute("mpf.on('a', function() return 1 end)")
        reply = kc.get_shell_msg(timeout=30)["content"]
        running = alive(descendants(km.provisioner.pid))
        check("a worker kept open by mpf.on", reply["status"] == "ok" and any(" worker" in cmdline(p) for p in running), [cmdline(p) for p in running])
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)
    left = gone_within(running, 10)
    check("shutting down ends mpf and its workers", not left, [cmdline(p) for p in left])


SSH_EXPERIMENT = """%cluster cluster.yaml
mpf.add_variable('x', {1, 2})
mpf.run{role = 'client'}(function(ctx, x)
  print('on', ctx.node.name, x)
  ex 'echo ex-on-$(hostname)'
  return {g = (x * ctx.node.index) .. ' Gbit/s'}
end)
df = mpf.run_experiment{n_runs = 1}
df"""


def over_ssh(hosts):
    """An experiment on two test hosts over ssh from a notebook (%cluster): the workers' output
    streams in, the table shows each machine's result, and load(long=True) agrees with mpf show."""
    folder = WORK / "ssh"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "cluster.yaml").write_text(f"ssh_config: {hosts}/ssh_config\nmachines:\n  - {{hostname: h2, role: client}}\n  - {{hostname: h3, role: client}}\n")
    # The kernel's mpf runs in the namespace that reaches the test hosts (scripts/testhosts run).
    binary = find_binary()
    wrapper = folder / "mpf-in-testhosts"
    wrapper.write_text(f"#!/bin/sh\nexec {Path(__file__).resolve().parents[3]}/scripts/testhosts run {hosts} {binary} \"$@\"\n")
    wrapper.chmod(0o755)
    os.environ["MPF_BINARY"] = str(wrapper)
    nb = nbformat.v4.new_notebook()
    nb.metadata.kernelspec = {"name": "mpf", "display_name": "mpf", "language": "lua"}
    nb.cells = [nbformat.v4.new_code_cell(SSH_EXPERIMENT)]
    nbclient.NotebookClient(nb, timeout=150, kernel_name="mpf", allow_errors=True, resources={"metadata": {"path": str(folder)}}).execute()
    os.environ["MPF_BINARY"] = binary
    cell = nb.cells[0]
    printed = "".join(o.text for o in outputs(cell, "stream") if o.name == "stdout")
    check("over ssh: each machine's prints and ex output stream into the cell",
          all(f"[client{i}] on\tclient{i}\t{x}\n" in printed for i in (1, 2) for x in (1, 2)) and printed.count("] ex-on-") == 4, cell.outputs)
    html = [o.data.get("text/html", "") for o in outputs(cell, "execute_result")]
    check("over ssh: the dataframe shows each machine's result", html and "g@client2" in html[0] and "<td>4 Gbits/s</td>" in html[0], cell.outputs)
    directory = next((folder / "mpf_experiments").iterdir())
    shown = json.loads(subprocess.run([binary, "show", str(directory), "--format", "json"], capture_output=True, text=True, check=True).stdout)
    long = mpf_jupyter.load(directory, binary=binary, long=True)
    check("load(long=True): one row per run per machine", len(long) == 2 * len(shown) == 4 and sorted(set(long["machine"])) == ["client1", "client2"], long)
    wrong = []
    for run in shown:
        for key, value in run.items():
            if "@" in key and not key.endswith("_unit"):
                name, machine = key.split("@")
                got = long[(long["x"] == run["x"]) & (long["machine"] == machine)][name].tolist()
                if got != [value]:
                    wrong.append((key, run["x"], got, value))
    check("load(long=True) agrees with mpf show", not wrong and long.attrs["units"]["g"] == "bits/s", wrong)
    os.environ["MPF_BINARY"] = str(wrapper)
    try:
        ssh_sessions_end(folder)
    finally:
        os.environ["MPF_BINARY"] = binary


def cmdline(pid):
    try:
        return open(f"/proc/{pid}/cmdline").read().replace("\0", " ")
    except OSError:
        return ""


def ssh_processes(kernel):
    """The kernel's processes, and the ssh ones of its sessions (a master connection detaches:
    it is found by its ControlPath folder, which only this session's ssh commands name)."""
    mine = alive(descendants(kernel))
    folders = {part.split("=", 1)[1].rsplit("/", 1)[0] for p in mine for part in cmdline(p).split() if part.startswith("ControlPath=")}
    masters = [int(p) for p in os.listdir("/proc") if p.isdigit() and any(f + "/" in cmdline(int(p)) for f in folders)]
    return sorted(set(mine + masters)), folders


def ssh_sessions_end(folder):
    """Over ssh: a restart, then a killed kernel, mid-experiment, leave no worker, command or
    ssh connection (master connections included), by pid."""
    km, kc = start_new_kernel(kernel_name="mpf", cwd=str(folder))
    long_runs = """%cluster cluster.yaml
mpf.add_variable('i', mpf.range(1, 20))
mpf.run{role = 'client'}(function(i) print('started'); ex 'sleep 30'; return {v = i} end)
mpf.run_experiment{n_runs = 1}"""
    try:
        for ending in ("restart", "kill"):
            kc.execute(long_runs)
            deadline = time.monotonic() + 90
            found, folders = [], set()
            while time.monotonic() < deadline:
                found, folders = ssh_processes(km.provisioner.pid)
                if folders and sum("ControlMaster=no" in cmdline(p) for p in found) >= 2:
                    break
                time.sleep(0.3)
            check(f"over ssh ({ending}): mpf, its ssh sessions and master connections are found", folders and len(found) >= 4 and any("[mux]" in cmdline(p) for p in found), [cmdline(p) for p in found])
            if ending == "restart":
                km.restart_kernel(now=False)
            else:
                os.kill(km.provisioner.pid, signal.SIGKILL)
            left = gone_within(found, 30)
            check(f"over ssh: a {'restarted' if ending == 'restart' else 'killed'} kernel leaves no ssh connection or worker", not left, [cmdline(p) for p in left])
            if ending == "restart":
                kc.wait_for_ready(timeout=30)
    finally:
        kc.stop_channels()
        try:
            km.shutdown_kernel(now=True)
        except Exception:
            pass


if len(sys.argv) > 2 and sys.argv[2] == "--ssh":
    over_ssh(os.environ["MPF_TEST_HOSTS"])
    print("check_notebooks: every check passed")
    sys.exit(0)

for folder in ("interrupt", "stream", "ends"):
    (WORK / folder).mkdir(parents=True, exist_ok=True)
reader(notebook())
example()
streaming_and_inspection()
interactive()
sessions_end()
print("check_notebooks: every check passed")
