"""Shift-Tab in the `mpf` kernel: the declarations `mpf types` prints (LuaLS annotations of the
Lua API) read into {name: (signature, doc)}: `mpf.run`, `ex`, `DataFrame:plot`, `mpf.Context.role`."""

import re
import subprocess

FUNCTION = re.compile(r"^function ([\w.:]+)\((.*)\) end$")
GLOBAL = re.compile(r"^([\w.]+) = ")
CLASS = re.compile(r"^---@class ([\w.]+)")
FIELD = re.compile(r"^---@field ([\w]+) (\S+(?: \S+)*?)(?: ([A-Z].*))?$")
PARAM = re.compile(r"^---@param (\S+) (.+)$")
RETURN = re.compile(r"^---@return (.+?)(?: \w+ [A-Z].*)?$")
TYPE = re.compile(r"^---@type (.+)$")


def parse(text):
    """{name: {"signature": ..., "doc": ...}} of every function, global and class field."""
    found, doc, params, returns, kind, cls = {}, [], [], [], None, None
    for line in text.splitlines():
        if line.startswith("---@class "):
            cls = CLASS.match(line).group(1)
            found[cls] = {"signature": cls, "doc": "\n".join(doc)}
            doc = []
        elif line.startswith("---@field ") and cls and FIELD.match(line):
            name, shape, said = FIELD.match(line).groups()
            found[f"{cls}.{name}"] = {"signature": f"{cls}.{name}: {shape}", "doc": said or ""}
        elif PARAM.match(line):
            params.append(PARAM.match(line).groups())
        elif RETURN.match(line):
            returns.append(RETURN.match(line).group(1))
        elif TYPE.match(line):
            kind = TYPE.match(line).group(1)
        elif line.startswith("---") and not line.startswith("---@"):
            doc.append(line[3:])
        elif FUNCTION.match(line):
            name, _ = FUNCTION.match(line).groups()
            shown = ", ".join(f"{p}: {t}" for p, t in params)
            found[name] = {"signature": f"{name}({shown})" + (" -> " + ", ".join(returns) if returns else ""), "doc": "\n".join(doc),
                           "classes": [c for _, t in params for c in re.split(r"[|?]", t) if c]}
            doc, params, returns, cls = [], [], [], None
        elif GLOBAL.match(line) and kind:
            name = GLOBAL.match(line).group(1)
            found[name] = {"signature": f"{name}: {kind}", "doc": "\n".join(doc)}
            doc, kind, cls = [], None, None
        elif not line.strip():
            doc, params, returns, kind = [], [], [], None
    return found


def declarations(binary):
    """What `mpf types` declares (parsed), {} when it cannot be run."""
    try:
        return parse(subprocess.run([binary, "types"], capture_output=True, text=True, timeout=10).stdout)
    except (OSError, subprocess.SubprocessError):
        return {}


WORD = re.compile(r"[\w.:]+")


def lookup(found, code, cursor_pos):
    """The declaration of the name under (or just before) the cursor: `mpf.run`, `ex`,
    `df:plot` (a method: of the dataframe or grouped dataframe), `ctx.role` (a context field)."""
    for match in WORD.finditer(code):
        if match.start() <= cursor_pos <= match.end():
            word = match.group(0)
            break
    else:
        return None
    # The cursor inside `mpf.run_experiment{`: the whole name; inside `mpf.ru|n`: the same.
    candidates = [word, word.rstrip(".:")]
    if ":" in word:
        method = word.rsplit(":", 1)[1]
        candidates += [f"DataFrame:{method}", f"Grouped:{method}"]
    elif "." in word:
        head, tail = word.rsplit(".", 1)
        if head in ("ctx", "mpf_ctx"):
            candidates.append(f"mpf.Context.{tail}")
        candidates += [f"mpf.DataFrame.{tail}"] if head not in ("mpf",) else []
    for name in candidates:
        if name in found:
            return found[name]
    return None


def text(found, entry):
    """What Shift-Tab shows: the signature, the doc, and the fields of an options class it takes."""
    parts = [entry["signature"]] + ([entry["doc"]] if entry["doc"] else [])
    for cls in entry.get("classes", []):
        fields = sorted(k for k in found if k.startswith(cls + ".") and "." not in k[len(cls) + 1:])
        if fields:
            parts.append(f"{cls}:\n" + "\n".join("  " + found[k]["signature"][len(cls) + 1:] + (" -- " + found[k]["doc"] if found[k]["doc"] else "") for k in fields))
    return "\n\n".join(parts)
