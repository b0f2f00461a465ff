#!/usr/bin/env bash
# Runs the GPU smoke test staged by tools/gpu-smoke/stage.sh, on a machine with the NVIDIA driver and the CUDA 13 and
# cuDNN 9 runtime libraries, without .NET or network:
#   ./run.sh                 CUDA: parity against the CPU provider, throughput at batch 1, 32 and 256
#   ./run.sh --device cpu    the same path on CPU
# Arguments go to ConR.GpuSmoke (./run.sh --help). Exit code: the tool's (0 passed, 1 a check failed, 2 could not run).
# The CUDA libraries may come from Python packages (nvidia-cublas, nvidia-cudnn-cu13, nvidia-cuda-runtime, ...):
# every Python found (PYTHON first, then python3, python) is asked for its site-packages, and nvidia/*/lib folders
# under them and under the usual virtual-environment places are put on LD_LIBRARY_PATH, ahead of the CUDA toolkit's.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
app="$here/app"

# 1. The ONNX Runtime native libraries travel as parts; put them back once, after checking they add up.
if [ ! -f "$app/.ort-native-restored" ]; then
  parts=("$here"/ort-native/ort-native.tar.gz.part-*)
  if [ ! -e "${parts[0]}" ]; then
    echo "run.sh: no ort-native/ort-native.tar.gz.part-* beside this script; stage again with tools/gpu-smoke/stage.sh" >&2
    exit 2
  fi
  expected=$(cut -d' ' -f1 "$here/ort-native/ort-native.tar.gz.sha256")
  actual=$(cat "${parts[@]}" | sha256sum | cut -d' ' -f1)
  if [ "$expected" != "$actual" ]; then
    echo "run.sh: the ${#parts[@]} parts do not add up (SHA-256 $actual, staged $expected): a part is missing or damaged" >&2
    exit 2
  fi
  cat "${parts[@]}" | tar -xzf - -C "$app"
  touch "$app/.ort-native-restored"
  echo "Restored the ONNX Runtime libraries from ${#parts[@]} parts"
fi

# 2. Where the CUDA and cuDNN libraries are.
lib_dirs=()
add_dir() {
  local dir
  for dir in "$@"; do
    [ -d "$dir" ] || continue
    dir=$(cd "$dir" && pwd -P)
    case " ${lib_dirs[*]-} " in *" $dir "*) ;; *) lib_dirs+=("$dir") ;; esac
  done
}

site_dirs=()
for python in ${PYTHON:-} python3 python; do
  command -v "$python" >/dev/null 2>&1 || continue
  while IFS= read -r dir; do
    site_dirs+=("$dir")
  done < <("$python" -c 'import site, sys; print("\n".join(site.getsitepackages() + [site.getusersitepackages()] + sys.path))' 2>/dev/null || true)
done
# Virtual environments and conda that no Python on PATH knows about.
while IFS= read -r dir; do
  site_dirs+=("$(dirname "$dir")")
done < <(find /opt /home /root /workspace /usr/local/lib -maxdepth 6 -type d -path '*-packages/nvidia' 2>/dev/null || true)
for site in "${site_dirs[@]}"; do
  [ -d "$site/nvidia" ] || continue
  # nvidia-<name>-cu12 wheels use nvidia/<name>/lib; the CUDA 13 wheels nvidia/cu13/lib.
  while IFS= read -r dir; do
    add_dir "$dir"
  done < <(find "$site/nvidia" -maxdepth 3 -type d \( -name lib -o -name lib64 \) 2>/dev/null | sort)
done
add_dir "${CUDA_HOME:-/usr/local/cuda}/lib64" /usr/local/cuda/lib64 /usr/local/cuda/targets/x86_64-linux/lib

joined=$(IFS=:; echo "${lib_dirs[*]-}")
export LD_LIBRARY_PATH="$app${joined:+:$joined}${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
echo "LD_LIBRARY_PATH=$LD_LIBRARY_PATH"

# 3. What the CUDA provider will find (ldd cannot tell: cuDNN is opened at run time).
find_lib() {
  local dir dirs
  IFS=: read -ra dirs <<< "$LD_LIBRARY_PATH"
  for dir in "${dirs[@]}"; do
    if [ -e "$dir/$1" ]; then
      echo "$dir/$1"
      return
    fi
  done
  { /sbin/ldconfig -p 2>/dev/null || ldconfig -p 2>/dev/null || true; } | awk -v lib="$1" '$1 == lib { print $NF; exit }'
}
for lib in libcuda.so.1 libcudart.so.13 libcublas.so.13 libcublasLt.so.13 libcurand.so.10 libcudnn.so.9; do
  where=$(find_lib "$lib")
  echo "  $lib: ${where:-NOT FOUND}"
done

# 4. The tool, on the staged models (a later --models wins).
exec "$app/ConR.GpuSmoke" --models "$here/models" "$@"
