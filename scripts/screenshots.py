"""Regenerate docs/screenshots/*.png (the README shows them): the browser test with SANDBOX_SCREENSHOTS set.

Run: .venv/bin/python scripts/screenshots.py
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    env = {**os.environ, "SANDBOX_SCREENSHOTS": str(ROOT / "docs" / "screenshots")}
    test = "tests/browser/test_sandbox_browser.py"
    return subprocess.call([sys.executable, "-m", "pytest", "-q", "-rs", test], cwd=ROOT, env=env)


if __name__ == "__main__":
    sys.exit(main())
