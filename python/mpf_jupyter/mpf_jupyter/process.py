"""One `mpf repl --machine` process: requests on its standard input, answers (JSON lines) on
its descriptor 3, what the code prints on its standard output and error (docs/notebook.md)."""

import json
import os
import select
import shutil
import signal
import subprocess
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parents[3]


def find_binary():
    """$MPF_BINARY, else the newest mpf the checkout built (.build/...), else mpf on PATH."""
    if os.environ.get("MPF_BINARY"):
        return os.environ["MPF_BINARY"]
    built = [CHECKOUT / p for p in (".build/debug/mpf", ".build/release/mpf", ".build/mpf")]
    built = [p for p in built if p.is_file() and os.access(p, os.X_OK)]
    if built:
        return str(max(built, key=lambda p: p.stat().st_mtime))
    found = shutil.which("mpf")
    if not found:
        raise FileNotFoundError("no mpf binary: build the checkout (swift build) or put mpf on PATH, or set MPF_BINARY")
    return found


class MpfProcess:
    """The session: `run` and `complete` requests, one at a time."""

    def __init__(self, binary=None, args=(), cwd=None):
        answers_read, answers_write = os.pipe()

        def child():
            os.dup2(answers_write, 3)

        self.process = subprocess.Popen(
            [binary or find_binary(), "repl", "--machine", *args],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            pass_fds=(3,), preexec_fn=child, cwd=cwd,
            # Its own session: a SIGINT to the kernel reaches mpf only through interrupt().
            start_new_session=True)
        os.close(answers_write)
        self.answers = answers_read
        self.pending = b""
        self.counter = 0
        said = []
        first = self._next_answer(lambda kind, text: said.append(text))
        if not first or not first.get("ready"):
            self.process.wait()
            os.close(self.answers)
            raise RuntimeError("mpf repl --machine did not start: " + "".join(said).strip())

    def request(self, kind, text, on_output):
        """Sends a request; calls on_output(name, text) for what mpf prints as it comes and
        returns the answers (display, error, complete) up to its done."""
        self.counter += 1
        data = text.encode()
        self.process.stdin.write(f"{kind} {self.counter} {len(data)}\n".encode() + data)
        self.process.stdin.flush()
        answers = []
        while True:
            answer = self._next_answer(on_output)
            if answer is None:
                raise RuntimeError("mpf ended (status %s)" % self.process.poll())
            if answer.get("done"):
                return answers
            answers.append(answer)

    def _next_answer(self, on_output):
        streams = {self.process.stdout.fileno(): "stdout", self.process.stderr.fileno(): "stderr"}
        while b"\n" not in self.pending:
            try:
                ready, _, _ = select.select([self.answers, *streams], [], [])
            except KeyboardInterrupt:
                self.interrupt()
                continue
            for fd in ready:
                chunk = os.read(fd, 65536)
                if fd == self.answers:
                    if not chunk:
                        self._drain(streams, on_output)
                        return None
                    self.pending += chunk
                elif chunk:
                    on_output(streams[fd], chunk.decode(errors="replace"))
        line, self.pending = self.pending.split(b"\n", 1)
        # What mpf printed before this answer is in its pipes already.
        self._drain(streams, on_output)
        return json.loads(line)

    def _drain(self, streams, on_output):
        while True:
            ready, _, _ = select.select(list(streams), [], [], 0)
            got = False
            for fd in ready:
                chunk = os.read(fd, 65536)
                if chunk:
                    got = True
                    on_output(streams[fd], chunk.decode(errors="replace"))
            if not got:
                return

    def interrupt(self):
        """Ctrl-C: stops what the cell runs (an experiment keeps its finished runs)."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)

    def close(self):
        """Ends mpf, and with it every worker and ssh connection it holds: the end of its
        standard input ends an idle session; SIGTERM stops what a busy one runs and ends it."""
        if self.process.poll() is None:
            try:
                self.process.stdin.close()
            except OSError:
                pass
            for step, wait in ((None, 2), (signal.SIGTERM, 20), (signal.SIGKILL, None)):
                if step is not None:
                    self.process.send_signal(step)
                try:
                    self.process.wait(timeout=wait)
                    break
                except subprocess.TimeoutExpired:
                    continue
        if self.answers is not None:
            os.close(self.answers)
            self.answers = None
