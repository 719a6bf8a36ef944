"""What ships: the licence pyproject.toml names, a Docker build context without secrets or local data,
and `mentorbot --version` saying the packaged version."""

from __future__ import annotations

import re
import tomllib
from fnmatch import fnmatch
from pathlib import Path

from cli_runs import mentorbot

REPO = Path(__file__).resolve().parent.parent


def pyproject() -> dict:
    return tomllib.loads((REPO / "pyproject.toml").read_text())


def ignored(path: str, patterns: list[str]) -> bool:
    """Docker's .dockerignore matching, for the patterns used here: ``**/`` is any depth, a pattern
    matches a path or anything under it; ``!`` re-includes (the last match wins)."""
    result = False
    for pattern in patterns:
        negate = pattern.startswith("!")
        pattern = pattern.removeprefix("!").rstrip("/")
        candidates = [pattern, pattern.removeprefix("**/")] if pattern.startswith("**/") else [pattern]
        parts = path.split("/")
        prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
        tails = ["/".join(parts[i:]) for i in range(len(parts))]
        if any(
            fnmatch(prefix, c) or (c != pattern and any(fnmatch(t, c) for t in tails))
            for c in candidates
            for prefix in prefixes
        ):
            result = not negate
    return result


def test_the_licence_is_the_one_pyproject_names():
    assert pyproject()["project"]["license"] == {"text": "MIT"}
    assert (REPO / "LICENSE").read_text().startswith("MIT License\n")


def test_the_docker_build_context_leaves_out_secrets_and_local_data_but_not_what_is_copied():
    patterns = [
        line.strip()
        for line in (REPO / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    for path in (
        ".env",
        ".env.production",
        ".venv/bin/python",
        "mentorbot.sqlite3",
        "mentorbot.sqlite3-wal",
        "data/x.sqlite3",
        ".git/config",
        "app/__pycache__/x.pyc",
    ):
        assert ignored(path, patterns), path
    copied = re.findall(r"^COPY (.+) \S+$", (REPO / "Dockerfile").read_text(), re.M)
    for path in " ".join(copied).split():
        assert not ignored(path, patterns), path
    assert not ignored("app/__main__.py", patterns) and not ignored("migrations/env.py", patterns)


def test_version_is_the_packaged_one(tmp_path):
    done = mentorbot(tmp_path, "--version")
    assert done.returncode == 0
    assert done.stdout.strip() == f"mentorbot {pyproject()['project']['version']}"
