#!/usr/bin/env bash
# PitWall compute-backend check on a lent GPU machine (no Node, no network). Run from the repo root with
#   run(command: "bash scripts/gpu/check.sh", carry: [".gpu", "out"], timeout_s: 420)
# Writes to $OUT: check.log (this script's steps), smoke.txt, doctor.json, doctor.err, devices.json, devices.err.
# Every step goes on after a failure; each has its own time limit (total well under 6 minutes).
cd "$(dirname "$0")/../.." || exit 1
OUT=${OUT:-/tmp/pitwall-out}
export PATH=$PATH:/usr/sbin:/sbin   # ldconfig
mkdir -p "$OUT"
VK_ROOT=${VK_ROOT:-/}   # where the debs are unpacked; another folder (tests on a CPU machine) uses LD_LIBRARY_PATH
T0=$(date +%s)
step() { echo; echo "=== [$(( $(date +%s) - T0 ))s] $*"; }

main() {

step "machine"
uname -a; nvidia-smi -L || echo "nvidia-smi failed"
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader || true

step "Vulkan loader (libvulkan1 deb, dpkg -x into $VK_ROOT)"
if ldconfig -p | grep -q 'libvulkan.so.1'; then echo "libvulkan.so.1 already present"; fi
unpack() { # deb dir
  if command -v dpkg >/dev/null; then dpkg -x "$1" "$2"; else (cd "$2" && ar p "$OLDPWD/$1" data.tar.xz | tar -xJ); fi
}
for f in .gpu/debs/*.deb; do unpack "$f" "$VK_ROOT" && echo "unpacked $f" || echo "FAILED to unpack $f into $VK_ROOT"; done
if [ "$VK_ROOT" = / ]; then ldconfig || echo "ldconfig failed"; fi
if [ "$VK_ROOT" = / ] && ! ldconfig -p | grep -q libvulkan.so.1; then
  echo "libvulkan not in the ld cache after unpacking into /: unpacking into /tmp/vkroot instead"
  VK_ROOT=/tmp/vkroot; mkdir -p $VK_ROOT
  for f in .gpu/debs/*.deb; do unpack "$f" $VK_ROOT || echo "FAILED to unpack $f into $VK_ROOT"; done
fi
if [ "$VK_ROOT" != / ]; then export LD_LIBRARY_PATH=$VK_ROOT/usr/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}; echo "LD_LIBRARY_PATH=$LD_LIBRARY_PATH"; fi
ldconfig -p | grep libvulkan || ls -la $VK_ROOT/usr/lib/x86_64-linux-gnu/libvulkan* || echo "no libvulkan after unpacking"

step "Vulkan ICD"
ICD=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
if [ ! -f "$ICD" ]; then
  echo "$ICD missing; searching"
  ICD=$(find /usr/local/nvidia /usr/share/vulkan /etc/vulkan -name 'nvidia_icd*.json' 2>/dev/null | head -1)
fi
if [ -n "$ICD" ] && [ -f "$ICD" ]; then
  export VK_DRIVER_FILES=$ICD
  echo "VK_DRIVER_FILES=$VK_DRIVER_FILES"; cat "$ICD"
  lib=$(grep -o '"library_path"[^,}]*' "$ICD" | sed 's/.*: *"\(.*\)"/\1/')
  echo "ICD library: $lib -> $( (ldconfig -p | grep -F "$(basename "$lib")") || ls -la "$lib" 2>&1 || echo 'NOT FOUND')"
  for so in /usr/local/nvidia/lib64/libGLX_nvidia.so.0 /lib/libGLX_nvidia.so.0; do [ -e "$so" ] && { echo "ldd $so (missing libs):"; ldd "$so" | grep -i "not found" || echo "  none missing"; }; done
else
  echo "no NVIDIA Vulkan ICD json found"
fi
EGL=/usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json
[ -f "$EGL" ] && export __EGL_VENDOR_LIBRARY_FILENAMES=$EGL

step "node (stripped, xz) -> /tmp/node/bin/node"
mkdir -p /tmp/node/bin
xz -dc .gpu/node.xz > /tmp/node/bin/node && chmod +x /tmp/node/bin/node || echo "FAILED to unpack node"
export PATH=/tmp/node/bin:$PATH
node -v || echo "node does not run"

step "node_modules (pruned) -> ./node_modules"
if [ -e node_modules ]; then echo "./node_modules already exists: extracting over it"; fi
mkdir -p node_modules && tar -xJf .gpu/nm.tar.xz -C node_modules || echo "FAILED to extract nm.tar.xz"
du -sh node_modules || true

export PITWALL_HOME=/tmp/pitwall-home   # fresh calibration cache on this machine
rm -rf "$PITWALL_HOME"

step "WebGPU smoke (Dawn adapter, compute shader, tfjs webgpu) -> smoke.txt"
VK_LOADER_DEBUG=error,warn timeout -k 5 60 node scripts/gpu/webgpu-smoke.mjs > "$OUT/smoke.txt" 2>&1
echo "exit $?"; cat "$OUT/smoke.txt" | head -60

step "pitwall doctor --json -> doctor.json"
timeout -k 5 110 node bin/pitwall.mjs doctor --json > "$OUT/doctor.json" 2> "$OUT/doctor.err"
echo "exit $?"; head -c 3000 "$OUT/doctor.json"; echo; tail -20 "$OUT/doctor.err"

step "bench/devices.mjs 5 -> devices.json"
timeout -k 5 170 node bench/devices.mjs 5 > "$OUT/devices.json" 2> "$OUT/devices.err"
echo "exit $?"; cat "$OUT/devices.json"; echo; tail -30 "$OUT/devices.err"

step "done"
}

main 2>&1 | tee "$OUT/check.log"
