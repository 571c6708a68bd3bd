#!/usr/bin/python3
"""Drives a page in headless Chromium over the DevTools protocol (--remote-debugging-pipe:
JSON messages ending in NUL on descriptors 3 and 4; no port, no network), as a reader would.

    browser-drive.py PAGE.html STEPS.json

STEPS is a JSON list run after the page's load event: ["eval", JS] evaluates an expression
(awaiting a promise) and records its value; ["shot", CSS_SELECTOR, FILE.png] saves a PNG of
that element. Prints one JSON object: "load_ms" (navigation start to the load event, then one
frame), "results" (each eval's value, in order), "errors" (uncaught exceptions, console errors,
CSP violations and failed loads). Exits 1 when Chromium cannot be driven.
"""
import base64, fcntl, json, os, subprocess, sys, tempfile, time

page, steps = os.path.abspath(sys.argv[1]), json.load(open(sys.argv[2]))
profile = tempfile.mkdtemp(prefix="mpf-chromium-")
to_chrome_r, to_chrome_w = os.pipe()
from_chrome_r, from_chrome_w = os.pipe()

def child_fds():
    # Above 10 first, so that neither end is overwritten by the other's dup2 (dup2 also makes
    # the copies survive exec, which the pipe's own ends do not).
    high_r, high_w = fcntl.fcntl(to_chrome_r, fcntl.F_DUPFD, 10), fcntl.fcntl(from_chrome_w, fcntl.F_DUPFD, 10)
    os.dup2(high_r, 3)
    os.dup2(high_w, 4)

chrome = subprocess.Popen(
    ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
     "--disable-background-networking", "--user-data-dir=" + profile, "--remote-debugging-pipe",
     "--window-size=1400,1000", "about:blank"],
    preexec_fn=child_fds, close_fds=False,
    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
os.close(to_chrome_r)
os.close(from_chrome_w)
buffer, next_id, events, errors = b"", 0, [], []

def read_message(deadline):
    global buffer
    while b"\0" not in buffer:
        if time.time() > deadline:
            raise TimeoutError("Chromium said nothing in time")
        chunk = os.read(from_chrome_r, 1 << 20)
        if not chunk:
            raise EOFError("Chromium closed its pipe")
        buffer += chunk
    message, buffer = buffer.split(b"\0", 1)
    return json.loads(message)

def note(event):
    method, params = event.get("method"), event.get("params", {})
    if method == "Runtime.exceptionThrown":
        details = params["exceptionDetails"]
        errors.append("exception: " + details.get("exception", {}).get("description", details.get("text", "")))
    elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
        errors.append("console: " + " ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", [])))
    elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
        errors.append("log: " + params["entry"].get("text", ""))
    events.append(event)

def call(method, params=None, session=None, seconds=30):
    global next_id
    next_id += 1
    message = {"id": next_id, "method": method, "params": params or {}}
    if session:
        message["sessionId"] = session
    os.write(to_chrome_w, json.dumps(message).encode() + b"\0")
    deadline = time.time() + seconds
    while True:
        reply = read_message(deadline)
        if reply.get("id") == next_id:
            if "error" in reply:
                raise RuntimeError(f"{method}: {reply['error']}")
            return reply.get("result", {})
        note(reply)

def wait_for(method, deadline):
    for index, event in enumerate(events):
        if event.get("method") == method:
            return events.pop(index)
    while True:
        event = read_message(deadline)
        note(event)
        if event.get("method") == method:
            return event

try:
    targets = call("Target.getTargets")["targetInfos"]
    target = next(t["targetId"] for t in targets if t["type"] == "page")
    session = call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
    for domain in ("Page", "Runtime", "Log"):
        call(domain + ".enable", session=session)
    started = time.time()
    call("Page.navigate", {"url": "file://" + page}, session=session)
    wait_for("Page.loadEventFired", time.time() + 60)
    call("Runtime.evaluate", {"expression": "new Promise(r => requestAnimationFrame(() => r(1)))", "awaitPromise": True}, session=session)
    load_ms = round((time.time() - started) * 1000)
    results = []
    for step in steps:
        if step[0] == "eval":
            value = call("Runtime.evaluate", {"expression": step[1], "awaitPromise": True, "returnByValue": True}, session=session)
            if "exceptionDetails" in value:
                errors.append("step: " + value["exceptionDetails"].get("exception", {}).get("description", step[1]))
                results.append(None)
            else:
                results.append(value["result"].get("value"))
        elif step[0] == "shot":
            box = call("Runtime.evaluate", {"expression": "JSON.stringify((r => ({x: r.left + scrollX, y: r.top + scrollY, width: r.width, height: r.height}))(document.querySelector(%s).getBoundingClientRect()))" % json.dumps(step[1]), "returnByValue": True}, session=session)
            clip = dict(json.loads(box["result"]["value"]), scale=1)
            shot = call("Page.captureScreenshot", {"format": "png", "clip": clip, "captureBeyondViewport": True}, session=session)
            open(step[2], "wb").write(base64.b64decode(shot["data"]))
    # Late messages (a CSP report comes after the load).
    call("Runtime.evaluate", {"expression": "1"}, session=session)
    print(json.dumps({"load_ms": load_ms, "results": results, "errors": errors}))
finally:
    chrome.kill()
    chrome.wait()
    subprocess.run(["rm", "-rf", profile])
