#!/usr/bin/env bash
# Snakemake runs this inside the new environment, from the workflow's working directory.
set -euo pipefail
if [ ! -f pyproject.toml ]; then
    echo "cistrans: run Snakemake from the cistrans checkout (no pyproject.toml in $PWD)" >&2
    exit 1
fi
python -m pip install --no-deps .
