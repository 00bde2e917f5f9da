"""Known vulnerabilities in the pinned dependencies, with pip-audit.

    python scripts/audit_deps.py [REQUIREMENTS] [-- PIP-AUDIT OPTIONS...]

Fails (exit 1) when pip-audit reports a known vulnerability in
REQUIREMENTS (default requirements.txt, resolved with its dependencies), or
when pip-audit fails for a reason other than the network. Where the advisory
service cannot be reached (no network, a proxy, a package index without PyPI's
JSON API), it says so plainly and exits 0: the check is skipped, not passed.
`make test` runs it as `make audit-deps`.
"""

import json
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

# The whole run, resolution included; a machine without network gives up fast.
TOTAL_TIMEOUT = 120
REQUEST_TIMEOUT = 10
NETWORK_ERROR = re.compile(
    r"ConnectionError|ProxyError|ConnectTimeout|ReadTimeout|Max retries exceeded"
    r"|Temporary failure in name resolution|Name or service not known"
    r"|Network is unreachable|Connection refused|ServiceError",
    re.IGNORECASE,
)


@dataclass
class Verdict:
    ok: bool
    message: str


def judge(returncode: int | None, stdout: str, stderr: str) -> Verdict:
    """What pip-audit's run says, from its exit code and JSON report.
    returncode None means the run timed out."""
    if returncode is None:
        return Verdict(True, unreachable(f"pip-audit did not finish in {TOTAL_TIMEOUT} s"))
    try:
        report = json.loads(stdout)
    except ValueError:
        report = None
    if report is None:
        if NETWORK_ERROR.search(stderr):
            lines = [line for line in stderr.strip().splitlines() if line.strip()]
            return Verdict(True, unreachable(lines[-1][:300] if lines else "network error"))
        return Verdict(False, f"pip-audit failed (exit {returncode}):\n{stderr.strip()[-2000:]}")
    dependencies = report.get("dependencies", [])
    vulnerable = [dep for dep in dependencies if dep.get("vulns")]
    audited = [dep for dep in dependencies if "vulns" in dep]
    skipped = [dep for dep in dependencies if dep.get("skip_reason")]
    if vulnerable:
        lines = ["Known vulnerabilities in the pinned dependencies:"]
        for dep in vulnerable:
            for vuln in dep["vulns"]:
                fixed = ", ".join(vuln.get("fix_versions") or []) or "no fixed version yet"
                lines.append(f"  {dep['name']} {dep['version']}: {vuln['id']} (fixed in {fixed})")
        return Verdict(False, "\n".join(lines))
    if skipped and not audited:
        return Verdict(
            True,
            unreachable(
                f"none of {len(skipped)} dependencies could be looked up"
                f" ({skipped[0]['skip_reason']})"
            ),
        )
    message = f"No known vulnerabilities in {len(audited)} dependencies."
    if skipped:
        names = ", ".join(dep["name"] for dep in skipped)
        message += f" Not found by the advisory service, so not checked: {names}."
    return Verdict(True, message)


def unreachable(reason: str) -> str:
    return (
        "NOTICE: the dependency advisory check was SKIPPED: the advisory service"
        f" could not be reached ({reason}). Run `make audit-deps` where PyPI is reachable."
    )


def main(argv: list[str]) -> int:
    extra: list[str] = []
    if "--" in argv:
        extra = argv[argv.index("--") + 1 :]
        argv = argv[: argv.index("--")]
    requirements = argv[0] if argv else "requirements.txt"
    pip_audit = Path(sys.executable).with_name("pip-audit")
    command = [str(pip_audit), "-r", requirements, "--format", "json"]
    command += ["--progress-spinner", "off", "--timeout", str(REQUEST_TIMEOUT), *extra]
    try:
        result = subprocess.run(  # noqa: S603 - pip-audit of this environment
            command, capture_output=True, text=True, timeout=TOTAL_TIMEOUT, check=False
        )
        verdict = judge(result.returncode, result.stdout, result.stderr)
    except subprocess.TimeoutExpired:
        verdict = judge(None, "", "")
    print(verdict.message, file=sys.stdout if verdict.ok else sys.stderr)
    return 0 if verdict.ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
