#!/usr/bin/env bash
# Installs the system packages the build, the demo and the tests need, idempotently.
#
# Packages already installed (checked with dpkg -s) are skipped; when everything is present no
# package manager runs at all. Uses sudo only when not running as root. Debian/Ubuntu only.
set -euo pipefail

PACKAGES=(unixodbc unixodbc-dev odbcinst gcc python3-venv openssl)

missing=()
for pkg in "${PACKAGES[@]}"; do
    if ! dpkg -s "$pkg" >/dev/null 2>&1; then
        missing+=("$pkg")
    fi
done

if ((${#missing[@]} == 0)); then
    echo "deps: system packages present (${PACKAGES[*]})"
else
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "deps: missing packages ${missing[*]} and no apt-get here; install them by hand" >&2
        exit 1
    fi
    sudo=()
    if [[ "$(id -u)" != 0 ]]; then
        if ! command -v sudo >/dev/null 2>&1; then
            echo "deps: need root or sudo to install ${missing[*]}" >&2
            exit 1
        fi
        sudo=(sudo)
    fi
    echo "deps: installing ${missing[*]}"
    "${sudo[@]}" apt-get update -q
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

if ! command -v cargo >/dev/null 2>&1; then
    echo "deps: cargo not found; install a Rust toolchain (rust-version in Cargo.toml) first" >&2
    exit 1
fi
