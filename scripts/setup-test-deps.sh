#!/usr/bin/env bash
# System packages that some tests use; safe to run again and again (idempotent).
#   chromium: tests/spotify/test_browser.py drives the Spotify link flow in headless Chromium.
#             Without it that one test skips with a reason; everything else runs.
# Python test dependencies are in pyproject.toml's `dev` extra (make setup installs them).
set -euo pipefail

if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then
    echo "setup-test-deps: chromium already installed"
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "setup-test-deps: no apt-get here; install Chromium by hand (the browser test will skip)" >&2
    exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        SUDO="sudo -n"
    else
        echo "setup-test-deps: not root and no passwordless sudo; skipping Chromium (the browser test will skip)" >&2
        exit 0
    fi
fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium
echo "setup-test-deps: installed $(chromium --version 2>/dev/null || echo chromium)"
