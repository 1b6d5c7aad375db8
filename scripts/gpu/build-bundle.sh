#!/usr/bin/env bash
# Rebuilds the GPU-check bundle in .gpu/ (run here, from the repo root, after `node scripts/build.mjs engine`):
#   node.xz    this machine's node, stripped, xz
#   nm.tar.xz  node_modules pruned to the files in nm-files.txt (traced with strace from `pitwall doctor --json` and
#              `bench/devices.mjs`, plus the webgpu tfjs backend, all wasm variants and better-sqlite3's .node)
#   debs/      libvulkan1 + libglvnd (Debian 12 amd64), unpacked on the device with dpkg -x; without libglvnd the
#              NVIDIA ICD fails ("Could not get vkCreateInstance") and Dawn finds no adapter
# Then check it here with scripts/gpu/verify-here.sh (a copy in /tmp/gputry, no access to ./node_modules).
set -euo pipefail
cd "$(dirname "$0")/../.."
G=.gpu
if [ ! -s $G/node.xz ] || [ "${REBUILD_NODE:-0}" = 1 ]; then
  strip -o /tmp/node-stripped "$(command -v node)"
  xz -9e -T2 -c /tmp/node-stripped > $G/node.xz
fi
(cd node_modules && tar -cf - -T ../scripts/gpu/nm-files.txt) | xz -9e -T2 > $G/nm.tar.xz
if ! ls $G/debs/libglvnd0_*.deb >/dev/null 2>&1; then
  mkdir -p $G/debs /tmp/amd64/partial
  o='-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=/tmp/amd64'
  apt-get $o update >/dev/null
  (cd $G/debs && apt-get $o download libvulkan1 libglvnd0 libegl1 libgl1 libglx0 libopengl0 libgles2)
fi
ls -la $G $G/debs
du -sh $G out
