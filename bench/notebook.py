"""Kernel start time and the display time of a 10,000-row dataframe with the `mpf` kernel.
Run: .venv/bin/python bench/notebook.py (after make jupyter); numbers in docs/performance.md."""

import tempfile
import time

from jupyter_client.manager import start_new_kernel

ROWS = """mpf.add_variable('i', mpf.range(1, 10000))
mpf.run{role = 'a'}(function(i) return {t = i .. 'ms'} end)
df = mpf.run_experiment{n_runs = 1}"""

with tempfile.TemporaryDirectory() as work:
    began = time.monotonic()
    km, kc = start_new_kernel(kernel_name="mpf", cwd=work)
    print(f"kernel start (to its first reply): {time.monotonic() - began:.2f} s")
    try:
        kc.execute_interactive(ROWS, timeout=600, output_hook=lambda m: None)
        began = time.monotonic()
        shown = {}
        kc.execute_interactive("df", timeout=60, output_hook=lambda m: shown.update(m["content"].get("data", {})))
        print(f"10,000-row dataframe display: {time.monotonic() - began:.2f} s ({len(shown.get('text/html', ''))} bytes of HTML)")
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)
