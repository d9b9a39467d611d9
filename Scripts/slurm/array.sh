#!/usr/bin/env bash
# One task of a Slurm job array: shard K of N of an effsim run, sweep or sensitivity analysis,
# K from SLURM_ARRAY_TASK_ID (submit with --array=1-N), its state in STATE_DIR/shard-K-of-N.json.
#
#   sbatch --array=1-N Scripts/slurm/array.sh N STATE_DIR COMMAND ARGS...
#   sbatch --array=1-16 Scripts/slurm/array.sh 16 states/seed-2024 run Scenarios/seed-2024.json --trials 1e12
#   sbatch --array=1-4 Scripts/slurm/array.sh 4 states/ci-level sweep Scenarios/sweeps/ci-level.json
#
# N is given, not read from SLURM_ARRAY_TASK_COUNT, so that a failed task can be rerun alone
# (sbatch --array=3 Scripts/slurm/array.sh 16 ...). EFFSIM names the binary (default: effsim
# on PATH); sbatch passes the submitting shell's environment on. A shard prints nothing but errors.
#SBATCH --job-name=effsim-shard
#SBATCH --cpus-per-task=1
set -euo pipefail
if [ "$#" -lt 3 ]; then
  echo "usage: sbatch --array=1-N $0 N STATE_DIR COMMAND ARGS..." >&2
  exit 2
fi
shards=$1 states=$2
shift 2
exec "${EFFSIM:-effsim}" "$@" --threads "${SLURM_CPUS_PER_TASK:-1}" --shard "auto/$shards" --state "$states/"
