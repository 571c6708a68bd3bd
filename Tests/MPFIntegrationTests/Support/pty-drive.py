#!/usr/bin/python3
"""Drives a program through a real pseudo-terminal, as a user at a keyboard would.

    pty-drive.py STEPS.json -- PROGRAM ARGS...

STEPS is a JSON list of steps: ["send", TEXT] types TEXT (\\x03 is Ctrl-C, \\x04 Ctrl-D,
\\t Tab, \\x1b[A the up arrow); ["expect", REGEX, SECONDS] waits until the output so far
matches; ["sleep", SECONDS]. It prints the whole output, then a last line `exit: CODE`, and
exits 1 (saying which step) if an expectation is not met in time.
"""
import json, os, pty, re, select, sys, time

steps = json.load(open(sys.argv[1]))
program = sys.argv[sys.argv.index("--") + 1:]
pid, fd = pty.fork()
if pid == 0:
    os.environ["TERM"] = "xterm"
    os.environ["COLUMNS"] = "100"
    os.execvp(program[0], program)

output = b""

def pump(seconds):
    global output
    end = time.time() + seconds
    while True:
        left = end - time.time()
        if left <= 0:
            return
        ready, _, _ = select.select([fd], [], [], left)
        if not ready:
            return
        try:
            data = os.read(fd, 65536)
        except OSError:
            return
        if not data:
            return
        output += data

failed = None
for index, step in enumerate(steps):
    kind = step[0]
    if kind == "send":
        os.write(fd, step[1].encode())
        pump(0.05)
    elif kind == "sleep":
        pump(step[1])
    elif kind == "expect":
        deadline = time.time() + step[2]
        while not re.search(step[1].encode(), output) and time.time() < deadline:
            pump(0.05)
        if not re.search(step[1].encode(), output):
            failed = f"step {index}: {step[1]!r} not seen in {step[2]} s"
            break

code = None
deadline = time.time() + 10
while code is None and time.time() < deadline:
    pump(0.05)
    done, status = os.waitpid(pid, os.WNOHANG)
    if done:
        code = os.waitstatus_to_exitcode(status)
if code is None:
    os.kill(pid, 9)
    os.waitpid(pid, 0)
    code = "killed"
pump(0.1)
sys.stdout.write(output.decode(errors="replace"))
sys.stdout.write(f"\nexit: {code}\n")
if failed:
    sys.stdout.write(f"FAILED {failed}\n")
    sys.exit(1)
