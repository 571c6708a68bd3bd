"""`python -m mpf_jupyter.install [--sys-prefix | --user | --prefix P]`: registers the `mpf` kernel."""

import argparse
import json
import sys
import tempfile
from pathlib import Path

from jupyter_client.kernelspec import KernelSpecManager


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--sys-prefix", action="store_true", help="inside this Python environment (the default)")
    where.add_argument("--user", action="store_true")
    where.add_argument("--prefix")
    args = parser.parse_args(argv)
    spec = {"argv": [sys.executable, "-m", "mpf_jupyter", "-f", "{connection_file}"], "display_name": "mpf", "language": "lua", "interrupt_mode": "signal"}
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "kernel.json").write_text(json.dumps(spec, indent=1))
        prefix = args.prefix or (None if args.user else sys.prefix)
        path = KernelSpecManager().install_kernel_spec(folder, "mpf", user=args.user, prefix=prefix)
    print("mpf kernel installed in " + path)


if __name__ == "__main__":
    main()
