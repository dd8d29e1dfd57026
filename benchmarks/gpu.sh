#!/usr/bin/env bash
# The GPU benchmarks as one command, for a lent GPU machine (its own python3 with torch and
# transformers; cistrans from src/, nothing installed). Each log goes to $OUT (or ./gpu-logs).
#   bash benchmarks/gpu.sh
set -uo pipefail
out=${OUT:-gpu-logs}
mkdir -p "$out"
export PYTHONPATH=src PYTHONUNBUFFERED=1
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader | tee "$out/gpu.txt"
python3 -c "import torch, transformers; print('torch', torch.__version__, 'transformers', transformers.__version__)" | tee -a "$out/gpu.txt"
python3 benchmarks/cis_training.py --device cuda --train-genes 8192 2>&1 \
    | grep -v epochs | tee "$out/cis_training.txt"
python3 benchmarks/embedding.py --device cuda --tiny-genes 500 --naive-tiny-segments 300 \
    --base-genes 100 --naive-base-segments 100 --batch-size 128 2>&1 \
    | grep -v "Loading weights\|UNEXPECTED\|^Key\|^---\|LOAD REPORT\|^Notes\|can be ignored\|^$" \
    | tee "$out/embedding.txt"
