"""`python -m sandbox connect aac --url URL --write-config FILE`: point the dashboard at a running emulator.

Waits for the emulator, mints a token pair through /_sandbox/tokens (as a person would create an
API token in the platform's UI), writes a connections file that names the environment variable
holding the refresh token, and prints the refresh token on stdout for the caller to export.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

import requests

CONNECTION_TEMPLATES = {
    "aac": """# Written by `python -m sandbox connect`: the built-in AAC sandbox emulator.
[[connection]]
name = "aac-sandbox"
label = "AAC sandbox"
platform = "aac"
sandbox = true
base_url = "{url}"
workspace_id = 12
client_id = "aac-public-api"
token_endpoint = "{url}/as/token"
refresh_token_env = "{env}"
""",
}
TOKEN_ENV = {"aac": "AAC_SANDBOX_REFRESH_TOKEN"}


def wait_until_up(url: str, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            requests.get(f"{url}/_sandbox/clock", timeout=2).raise_for_status()
            return
        except requests.RequestException:
            if time.monotonic() > deadline:
                raise SystemExit(f"the emulator at {url} did not answer within {seconds:g} s")
            time.sleep(0.2)


def mint_refresh_token(url: str) -> str:
    response = requests.post(f"{url}/_sandbox/tokens", json={}, timeout=5)
    response.raise_for_status()
    return response.json()["refresh_token"]


def connect(key: str, url: str, config_path: str) -> str:
    """Write the connections file and return the refresh token to put in the environment."""
    if key not in CONNECTION_TEMPLATES:
        raise SystemExit(f"no sandbox connection template for {key!r}")
    url = url.rstrip("/")
    wait_until_up(url)
    token = mint_refresh_token(url)
    path = Path(config_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(CONNECTION_TEMPLATES[key].format(url=url, env=TOKEN_ENV[key]))
    return token


def main(argv: list[str]) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m sandbox connect")
    parser.add_argument("key")
    parser.add_argument("--url", required=True)
    parser.add_argument("--write-config", required=True)
    args = parser.parse_args(argv)
    sys.stdout.write(connect(args.key, args.url, args.write_config) + "\n")
    return 0
