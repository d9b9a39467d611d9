#!/usr/bin/env bash
# The merge after a job array: every state in STATE_DIR into OUT (summary.csv... for a run,
# sweep.csv for a sweep), the same bytes as one process. Submit it to run once every task succeeded:
#
#   job=$(sbatch --parsable --array=1-N Scripts/slurm/array.sh N STATE_DIR run SCENARIO.json ...)
#   sbatch --dependency=afterok:$job Scripts/slurm/merge.sh STATE_DIR OUT [--report]
#
# merge refuses (exit 2, naming the missing shard-K-of-N.json) until every shard is there.
#SBATCH --job-name=effsim-merge
#SBATCH --cpus-per-task=1
set -euo pipefail
if [ "$#" -lt 2 ]; then
  echo "usage: sbatch --dependency=afterok:JOB $0 STATE_DIR OUT [effsim merge options]" >&2
  exit 2
fi
states=$1 out=$2
shift 2
exec "${EFFSIM:-effsim}" merge "$states" --out "$out" --quiet "$@"
