"""Command line: `python -m sandbox serve aac --port N` serves an emulator; `connect` points the dashboard at one."""
from __future__ import annotations

import argparse
import sys

from werkzeug.serving import run_simple

from sandbox import EMULATORS, create_app


def main(argv: list[str] | None = None) -> int:
    """Parse arguments and run the chosen emulator until interrupted (or hand `connect` to sandbox.connect)."""
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["connect"]:
        from sandbox.connect import main as connect_main

        return connect_main(argv[1:])
    parser = argparse.ArgumentParser(prog="python -m sandbox", description="Run a platform emulator.")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve one emulator over HTTP")
    serve.add_argument("key", choices=sorted(EMULATORS))
    serve.add_argument("--port", type=int, required=True)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--seed", type=int, default=1)
    serve.add_argument("--size", choices=("small", "large"), default="small")
    serve.add_argument("--hostile", action="store_true", help="seed XSS payloads into the free-text fields")
    commands.add_parser("connect", help="mint a token and write a connections file (see sandbox/connect.py)")
    args = parser.parse_args(argv)

    app = create_app(args.key, seed=args.seed, size=args.size, hostile=args.hostile)
    base = f"http://{args.host}:{args.port}"
    world = f"{args.size}, hostile" if args.hostile else args.size
    print(f"{args.key} emulator (seed {args.seed}, {world}) on {base}", file=sys.stderr)
    print(f"  get a token:  curl -X POST {base}/_sandbox/tokens", file=sys.stderr)
    run_simple(args.host, args.port, app, threaded=True, use_reloader=False, use_debugger=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
