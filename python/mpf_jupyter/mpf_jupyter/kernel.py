"""The `mpf` Jupyter kernel: one `mpf repl --machine` session per kernel (docs/notebook.md)."""

import re
from pathlib import Path

from ipykernel.kernelbase import Kernel

from . import types
from .display import dataframe_bundle, error_line
from .process import MpfProcess, find_binary

PROGRESS = re.compile(r"^\[\d+/\d+\] ")
# A cell's first line `%cluster cluster.yaml`: the session starts again with that cluster file.
CLUSTER = re.compile(r"^%cluster[ \t]+(\S+)[ \t]*(?:\n|$)")


class MpfKernel(Kernel):
    implementation = "mpf"
    implementation_version = "0.1.0"
    banner = "mpf: Lua with mpf loaded (a cell is a chunk; its final expression is shown)"
    language_info = {"name": "lua", "mimetype": "text/x-lua", "file_extension": ".lua", "codemirror_mode": "lua", "pygments_lexer": "lua"}

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.mpf = MpfProcess()
        self.declarations = None

    def _use_cluster(self, path):
        """`%cluster FILE`: a new session with that cluster file (`mpf repl -c FILE`); the old
        one ends with its workers and ssh connections."""
        self.mpf.close()
        try:
            self.mpf = MpfProcess(args=["-c", path])
        except RuntimeError as error:
            self.mpf = MpfProcess()
            raise RuntimeError(f"%cluster {path}: {error}") from None

    def do_execute(self, code, silent, store_history=True, user_expressions=None, allow_stdin=False):
        progress = {"id": None, "partial": ""}

        def output(name, text):
            if silent:
                return
            if name == "stderr":
                text = self._progress(text, progress)
            if text:
                self.send_response(self.iopub_socket, "stream", {"name": name, "text": text})

        cluster = CLUSTER.match(code)
        try:
            if cluster:
                self._use_cluster(cluster.group(1))
                code = code[cluster.end():]
            answers = self.mpf.request("run", code, output)
        except RuntimeError as error:
            return self._error("MpfEnded", str(error), silent)
        for answer in answers:
            if "error" in answer:
                message, line = error_line(answer["error"])
                shown = message if line is None else f"line {line} of the cell: {message}"
                return self._error("LuaError", shown, silent)
            if "display" in answer and not silent:
                self.send_response(self.iopub_socket, "execute_result", {"execution_count": self.execution_count, "data": self._bundle(answer["display"]), "metadata": {}})
        return {"status": "ok", "execution_count": self.execution_count, "payload": [], "user_expressions": {}}

    def _progress(self, text, progress):
        """Run lines (`[3/16] parallel=3: ok`) become one display updated in place."""
        kept = []
        for line in (progress["partial"] + text).splitlines(keepends=True):
            if not line.endswith("\n"):
                progress["partial"] = line if PROGRESS.match(line) else ""
                if not PROGRESS.match(line):
                    kept.append(line)
                continue
            progress["partial"] = ""
            if PROGRESS.match(line):
                content = {"data": {"text/plain": line.rstrip("\n")}, "metadata": {}, "transient": {"display_id": progress["id"] or ""}}
                if progress["id"] is None:
                    progress["id"] = content["transient"]["display_id"] = "mpf-progress-%d-%s" % (self.execution_count, id(progress))
                    self.send_response(self.iopub_socket, "display_data", content)
                else:
                    self.send_response(self.iopub_socket, "update_display_data", content)
            else:
                kept.append(line)
        return "".join(kept)

    def _bundle(self, display):
        data = {"text/plain": display["text"]}
        if "dataframe" in display:
            try:
                data.update(dataframe_bundle(display["dataframe"]))
            except Exception as error:  # the text still shows
                self.log.warning("mpf: dataframe display failed: %s", error)
        if "svg" in display:
            try:
                data["image/svg+xml"] = Path(display["svg"]).read_text()
            except OSError:
                pass
        return data

    def _error(self, name, message, silent=False):
        if not silent:
            self.send_response(self.iopub_socket, "error", {"ename": name, "evalue": message, "traceback": [message]})
        return {"status": "error", "execution_count": self.execution_count, "ename": name, "evalue": message, "traceback": [message]}

    def do_complete(self, code, cursor_pos):
        word = re.search(r"[\w.:]*$", code[:cursor_pos]).group(0)
        matches = []
        if word:
            for answer in self.mpf.request("complete", word, lambda name, text: None):
                matches = answer.get("complete", matches)
        return {"status": "ok", "matches": matches, "cursor_start": cursor_pos - len(word), "cursor_end": cursor_pos, "metadata": {}}

    def do_inspect(self, code, cursor_pos, detail_level=0, omit_sections=()):
        """Shift-Tab: the declaration `mpf types` gives of the name at the cursor."""
        if self.declarations is None:
            self.declarations = types.declarations(find_binary())
        entry = types.lookup(self.declarations, code, cursor_pos)
        data = {"text/plain": types.text(self.declarations, entry)} if entry else {}
        return {"status": "ok", "found": bool(entry), "data": data, "metadata": {}}

    def do_shutdown(self, restart):
        self.mpf.close()
        return {"status": "ok", "restart": restart}
