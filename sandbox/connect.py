"""`python -m sandbox connect KEY=URL … --write-config FILE --write-env FILE`: point the dashboard at emulators.

For each running emulator it waits until it answers, mints credentials through /_sandbox/tokens (as a
person would create an API token or key in the platform's UI), and writes one connections file naming
the environment variables that hold the secrets, plus a shell file (mode 600) that exports them.
"""
from __future__ import annotations

import argparse
import os
import shlex
import sys
import time
from pathlib import Path
from typing import Callable

import requests

HEADER = "# Written by `python -m sandbox connect`: the built-in sandbox emulators.\n"


def _aac(url: str, minted: dict) -> tuple[str, dict[str, str]]:
    return f"""
[[connection]]
name = "aac-sandbox"
label = "AAC sandbox"
platform = "aac"
sandbox = true
base_url = "{url}"
workspace_id = 12
client_id = "aac-public-api"
token_endpoint = "{url}/as/token"
refresh_token_env = "AAC_SANDBOX_REFRESH_TOKEN"
""", {"AAC_SANDBOX_REFRESH_TOKEN": minted["refresh_token"]}


def _server(url: str, minted: dict) -> tuple[str, dict[str, str]]:
    return f"""
[[connection]]
name = "server-sandbox"
label = "Alteryx Server sandbox"
platform = "server"
sandbox = true
base_url = "{url}"
webapi_url = "{url}/webapi"
client_id = "{minted['client_id']}"
client_secret_env = "SERVER_SANDBOX_CLIENT_SECRET"
gallery_url = "{url}/gallery"
api_key = "{minted['api_key']}"
api_secret_env = "SERVER_SANDBOX_API_SECRET"
""", {"SERVER_SANDBOX_CLIENT_SECRET": minted["client_secret"], "SERVER_SANDBOX_API_SECRET": minted["api_secret"]}


def _teamstudio(url: str, minted: dict) -> tuple[str, dict[str, str]]:
    return f"""
[[connection]]
name = "teamstudio-sandbox"
label = "Team Studio sandbox"
platform = "teamstudio"
sandbox = true
base_url = "{url}"
username = "{minted['username']}"
password_env = "TEAMSTUDIO_SANDBOX_PASSWORD"
""", {"TEAMSTUDIO_SANDBOX_PASSWORD": minted["password"]}


def _vantage6(url: str, minted: dict) -> tuple[str, dict[str, str]]:
    keycloak = (f'oidc_token_url = "{minted["token_url"]}"\nclient_id = "{minted["client_id"]}"\n'
                if "token_url" in minted else "")
    return f"""
[[connection]]
name = "vantage6-sandbox"
label = "vantage6 sandbox"
platform = "vantage6"
sandbox = true
base_url = "{url}"
username = "{minted['username']}"
password_env = "VANTAGE6_SANDBOX_PASSWORD"
{keycloak}""", {"VANTAGE6_SANDBOX_PASSWORD": minted["password"]}


def _alooma(url: str, minted: dict) -> tuple[str, dict[str, str]]:
    return f"""
[[connection]]
name = "alooma-sandbox"
label = "Alooma sandbox"
platform = "alooma"
sandbox = true
base_url = "{url}"
account_name = "{minted['account_name']}"
username = "{minted['email']}"
password_env = "ALOOMA_SANDBOX_PASSWORD"
""", {"ALOOMA_SANDBOX_PASSWORD": minted["password"]}


def _oidc(url: str, minted: dict) -> tuple[str, dict[str, str]]:
    """No connection: the sandbox identity provider becomes the dashboard's single sign-on (README "SSO")."""
    return "", {"FLIGHTDECK_SSO_ISSUER": url, "FLIGHTDECK_SSO_CLIENT_ID": minted["client_id"],
                "FLIGHTDECK_SSO_CLIENT_SECRET": minted["client_secret"], "FLIGHTDECK_SSO_LABEL": "Sandbox SSO",
                "FLIGHTDECK_SSO_ROLE_RULES": minted["role_rules"]}


# key -> (connection entry, settings and secrets to export) from the emulator URL and what /_sandbox/tokens minted
TEMPLATES: dict[str, Callable[[str, dict], tuple[str, dict[str, str]]]] = {
    "aac": _aac, "server": _server, "teamstudio": _teamstudio, "vantage6": _vantage6,
    "alooma": _alooma, "oidc": _oidc}


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


def mint(url: str) -> dict:
    response = requests.post(f"{url}/_sandbox/tokens", json={}, timeout=5)
    response.raise_for_status()
    return response.json()


def connect(targets: dict[str, str], config_path: str, env_path: str) -> None:
    """Write the connections file and the env file for every key=url in `targets`."""
    entries, secrets = [], {}
    for key, url in targets.items():
        if key not in TEMPLATES:
            raise SystemExit(f"no sandbox connection template for {key!r}; known: {', '.join(TEMPLATES)}")
        url = url.rstrip("/")
        wait_until_up(url)
        entry, values = TEMPLATES[key](url, mint(url))
        entries.append(entry)
        secrets.update(values)
    config = Path(config_path)
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(HEADER + "".join(entries))
    env = Path(env_path)
    env.parent.mkdir(parents=True, exist_ok=True)
    env.touch(mode=0o600, exist_ok=True)
    os.chmod(env, 0o600)
    env.write_text("".join(f"export {name}={shlex.quote(value)}\n" for name, value in secrets.items()))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m sandbox connect")
    parser.add_argument("targets", nargs="+", metavar="KEY=URL", help="e.g. aac=http://127.0.0.1:8101")
    parser.add_argument("--write-config", required=True)
    parser.add_argument("--write-env", required=True, help="shell file exporting the minted secrets (mode 600)")
    args = parser.parse_args(argv)
    targets = {}
    for target in args.targets:
        key, sep, url = target.partition("=")
        if not sep or not url.startswith("http"):
            parser.error(f"{target!r} is not KEY=URL")
        targets[key] = url
    connect(targets, args.write_config, args.write_env)
    print(f"wrote {args.write_config} and {args.write_env}", file=sys.stderr)
    return 0
