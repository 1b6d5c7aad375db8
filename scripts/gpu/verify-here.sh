#!/usr/bin/env bash
# Checks the bundle on this (CPU) machine: a copy in /tmp/gputry with the pruned node_modules and the bundled node
# only (no access to the repo's node_modules), running what check.sh runs. strace confirms no file outside the copy
# (and the system) is opened. Run from anywhere after build-bundle.sh.
set -u
REPO=$(cd "$(dirname "$0")/../.." && pwd)
T=/tmp/gputry
rm -rf $T && mkdir -p $T/node_modules /tmp/gputry-node/bin
cp -r "$REPO/out" "$REPO/bin" "$REPO/bench" "$REPO/resources" "$REPO/package.json" "$REPO/.gpu" "$REPO/scripts" $T/
xz -dc "$REPO/.gpu/node.xz" > /tmp/gputry-node/bin/node && chmod +x /tmp/gputry-node/bin/node
tar -xJf "$REPO/.gpu/nm.tar.xz" -C $T/node_modules
cd $T
export PATH=/tmp/gputry-node/bin:/usr/bin:/bin PITWALL_HOME=/tmp/gputry-home
rm -rf $PITWALL_HOME
echo "node $(node -v) at $(command -v node); node_modules $(du -sh node_modules | cut -f1)"
timeout 120 node scripts/gpu/webgpu-smoke.mjs > /tmp/gputry-smoke.txt 2>&1; echo "smoke exit $?"; cat /tmp/gputry-smoke.txt
TR=""; command -v strace >/dev/null && TR="strace -f -qq -e trace=openat -e signal=none -o /tmp/gputry-trace.txt"
$TR timeout 300 node bin/pitwall.mjs doctor --json > /tmp/gputry-doctor.json 2> /tmp/gputry-doctor.err
echo "doctor exit $? ($(wc -c < /tmp/gputry-doctor.json) bytes)"
node -e "const r=JSON.parse(require('fs').readFileSync('/tmp/gputry-doctor.json','utf8'));console.log(r.backends.map(b=>b.id+':'+(b.available?'ok':b.reason)).join('\n'));console.log(r.calibration.timings.map(t=>t.workload+' '+t.backend+' '+(t.median_ms??t.error)).join('\n'))" || tail /tmp/gputry-doctor.err
timeout 300 node bench/devices.mjs 3 > /tmp/gputry-devices.json 2> /tmp/gputry-devices.err
echo "devices exit $?"; cat /tmp/gputry-devices.json; echo
if [ -n "$TR" ]; then
  echo "files opened by doctor outside /tmp/gputry, /usr, /lib, /etc, /proc, /sys, /dev (expect none under $REPO):"
  grep -v ENOENT /tmp/gputry-trace.txt | grep -o 'openat([^"]*"[^"]*"' | sed 's/.*"\(.*\)"/\1/' | grep -vE '^(/tmp/gputry|/usr|/lib|/etc|/proc|/sys|/dev|/tmp/gputry-home)' | sort -u | head -20
fi
