#!/usr/bin/env bash
# make slurm-check: a one-node Slurm cluster from Debian's packages (slurm-wlm, munge) in a
# temporary folder, as root, no systemd; a 4-task array run of seed-2024 and a 4-task array
# sweep, each followed by a dependent merge; the merged folders diffed against one process.
# Every daemon it started is stopped and the folder removed, also on failure or interrupt.
#
#   Scripts/slurm/check.sh EFFSIM_BINARY
#
# SLURM_CHECK_PORT (default 16817) and the next port are slurmctld's and slurmd's: unusual ones,
# so a real Slurm on the machine is not disturbed. SLURM_CHECK_TIMEOUT bounds each wait (s).
set -euo pipefail
bin=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
port=${SLURM_CHECK_PORT:-16817}
timeout=${SLURM_CHECK_TIMEOUT:-120}
trials=1000000

dir=$(mktemp -d /tmp/effsim-slurm-check.XXXXXX)
# munged wants every folder above its socket searchable by all.
chmod 755 "$dir"
stop() {
  status=$?
  trap - EXIT INT TERM
  for name in slurmd slurmctld munged; do
    if [ -s "$dir/$name.pid" ]; then
      pid=$(cat "$dir/$name.pid")
      kill "$pid" 2>/dev/null || true
      # Wait for it to go (at most 10 s), then insist.
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
      kill -9 "$pid" 2>/dev/null || true
    fi
  done
  if [ "$status" -ne 0 ]; then
    echo "slurm-check: failed; the daemons' logs:" >&2
    tail -n 20 "$dir"/*.log 2>/dev/null >&2 || true
  fi
  rm -rf "$dir"
  exit "$status"
}
trap stop EXIT
trap 'echo "slurm-check: failed at line $LINENO: $BASH_COMMAND" >&2' ERR
trap 'exit 130' INT TERM

host=$(hostname -s)
mkdir -p "$dir/state" "$dir/spool" "$dir/logs"
mungekey -c -k "$dir/munge.key"
chmod 600 "$dir/munge.key"
munged --key-file="$dir/munge.key" --socket="$dir/sock" --pid-file="$dir/munged.pid" \
  --log-file="$dir/munged.log" --seed-file="$dir/seed"
cat > "$dir/slurm.conf" <<CONF
ClusterName=effsimcheck
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$dir/sock
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/ctld.log
SlurmdLogFile=$dir/d.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
JobCompType=jobcomp/none
MpiDefault=none
ReturnToService=2
# A merge whose array failed is cancelled at once, not left pending for ever.
DependencyParameters=kill_invalid_depend
SlurmctldPort=$port
SlurmdPort=$((port + 1))
NodeName=$host CPUs=$(nproc) State=UNKNOWN
PartitionName=main Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF=$dir/slurm.conf
# In the foreground (-D) as far as Slurm knows, in the background as far as this script does;
# each writes its pid file, which stop() reads.
slurmctld -D -c > "$dir/ctld.out" 2>&1 &
slurmd -D -c > "$dir/d.out" 2>&1 &

# Wait until the node takes jobs.
waited=0
until sinfo -h -o %t 2>/dev/null | grep -qx 'idle'; do
  sleep 1; waited=$((waited + 1))
  if [ "$waited" -ge "$timeout" ]; then echo "slurm-check: the node did not come up in ${timeout}s" >&2; exit 1; fi
done
echo "slurm-check: one-node Slurm up ($(sinfo -h -o '%P %D %t'), ports $port-$((port + 1)))"

export EFFSIM=$bin
submit() { sbatch --parsable --chdir="$repo" --output="$dir/logs/%x-%A_%a.out" "$@"; }
run_job=$(submit --array=1-4 "$here/array.sh" 4 "$dir/run-states" run Scenarios/seed-2024.json --trials $trials)
run_merge=$(submit --dependency=afterok:"$run_job" "$here/merge.sh" "$dir/run-states" "$dir/run-merged")
sweep_job=$(submit --array=1-4 "$here/array.sh" 4 "$dir/sweep-states" sweep Scenarios/sweeps/unpublished-upper.json)
sweep_merge=$(submit --dependency=afterok:"$sweep_job" "$here/merge.sh" "$dir/sweep-states" "$dir/sweep-merged")
jobs="$run_job $run_merge $sweep_job $sweep_merge"
echo "slurm-check: submitted arrays $run_job (run) and $sweep_job (sweep), merges $run_merge and $sweep_merge"

# The same work in one process, while Slurm runs.
(cd "$repo" && "$bin" run Scenarios/seed-2024.json --trials $trials --out "$dir/run-single" --quiet)
(cd "$repo" && "$bin" sweep Scenarios/sweeps/unpublished-upper.json --out "$dir/sweep-single" --quiet)

# Wait for the queue to empty, then check how each job ended (no accounting database here, so
# scontrol rather than sacct: it keeps finished jobs for MinJobAge, 300 s by default).
waited=0
while [ -n "$(squeue -h -j "${jobs// /,}" 2>/dev/null)" ]; do
  sleep 1; waited=$((waited + 1))
  if [ "$waited" -ge "$timeout" ]; then echo "slurm-check: jobs still queued after ${timeout}s:" >&2; squeue >&2; exit 1; fi
done
for job in $jobs; do
  states=$(scontrol -o show job "$job" | grep -o 'JobState=[A-Z_]*' | sort -u | tr '\n' ' ')
  if [ "$states" != "JobState=COMPLETED " ]; then
    echo "slurm-check: job $job ended $states" >&2
    cat "$dir"/logs/* >&2 || true
    exit 1
  fi
done
if [ -n "$(cat "$dir"/logs/*)" ]; then echo "slurm-check: the jobs printed something (a shard prints nothing but errors):" >&2; cat "$dir"/logs/* >&2; exit 1; fi

for kind in run sweep; do
  diff -r "$dir/$kind-merged" "$dir/$kind-single"
done
echo "slurm-check: seed-2024 run, 4 array tasks + dependent merge: byte-identical to one process"
echo "slurm-check: unpublished-upper sweep, 4 array tasks + dependent merge: byte-identical to one process"
