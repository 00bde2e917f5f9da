"""A SMART Backend Services client assertion for a demo API client.

    python scripts/fhir_token.py [CLIENT] [--show assertion|client-id|token-url|fhir-base]

CLIENT is `lakeside` (Lakeside EHR, treatment: only the clients whose
consent names Lakeside Primary Care) or `warehouse` (the clinic's data
warehouse, program-internal: every client). `manage.py seed_demo` (run by
`make run`) registers both and writes their private keys and client ids to
var/demo-fhir/ (DEMO_FHIR_DIR elsewhere). Prints a JWT signed with the
client's private key (RS384 or ES384), valid for four minutes and usable
once: iss and sub the client id, aud the token URL, a fresh jti (RFC 7523;
SMART App Launch 2.0, Backend Services). The README's "FHIR API" section
posts it with curl. Needs only PyJWT and cryptography, not Django.
"""

import argparse
import json
import os
import sys
import time
import uuid
from pathlib import Path

import jwt

# SMART: an assertion's exp at most five minutes ahead.
LIFETIME_SECONDS = 240


def demo_dir() -> Path:
    default = Path(__file__).resolve().parent.parent / "var" / "demo-fhir"
    return Path(os.environ.get("DEMO_FHIR_DIR") or default)


def assertion(about: dict, private_key: bytes) -> str:
    now = int(time.time())
    claims = {
        "iss": about["client_id"],
        "sub": about["client_id"],
        "aud": about["token_url"],
        "iat": now,
        "exp": now + LIFETIME_SECONDS,
        "jti": uuid.uuid4().hex,
    }
    headers = {"kid": about["kid"], "typ": "JWT"}
    return jwt.encode(claims, private_key, algorithm=about["alg"], headers=headers)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("client", nargs="?", default="lakeside", help="lakeside or warehouse")
    parser.add_argument(
        "--show",
        choices=["assertion", "client-id", "token-url", "fhir-base"],
        default="assertion",
    )
    args = parser.parse_args(argv)
    folder = demo_dir()
    try:
        about = json.loads((folder / f"{args.client}.json").read_text())
        private_key = (folder / about["private_key"]).read_bytes()
    except (OSError, ValueError, KeyError) as error:
        print(
            f"No demo client {args.client!r} in {folder} ({error}): run `make run` "
            "or `manage.py seed_demo` first.",
            file=sys.stderr,
        )
        return 1
    shown = {
        "assertion": lambda: assertion(about, private_key),
        "client-id": lambda: about["client_id"],
        "token-url": lambda: about["token_url"],
        "fhir-base": lambda: about["fhir_base"],
    }
    print(shown[args.show]())
    return 0


if __name__ == "__main__":
    sys.exit(main())
