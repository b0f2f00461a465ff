#!/usr/bin/env bash
# Stages the GPU smoke test for a GPU machine that has the NVIDIA driver and the CUDA 13 + cuDNN 9 runtime libraries
# (system-wide or as Python packages) but no .NET and no network:
#   tools/gpu-smoke/stage.sh [OUT]        OUT defaults to gpu-smoke-stage/ at the repository root
# OUT then holds
#   app/         ConR.GpuSmoke published self-contained for linux-x64, without the ONNX Runtime native libraries
#   ort-native/  those libraries (~320 MB, the CUDA provider most of it) as one .tar.gz split into parts under 60 MiB,
#                so that each part fits one file transfer, and the archive's SHA-256
#   models/      the bundled packages, NAME/VERSION/{model.onnx,model.json}
#   run.sh       reassembles the libraries, finds CUDA and cuDNN, runs the tool (run.sh --help)
# Copy OUT to the GPU machine and run OUT/run.sh there. OUT is build output: delete it, do not commit it.
# CONR_PART_SIZE (split's syntax, default 59M = 59 MiB) sets the part size.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
out=${1:-$repo/gpu-smoke-stage}
part_size=${CONR_PART_SIZE:-59M}
limit_bytes=$((60 * 1024 * 1024))

rm -rf "$out"
mkdir -p "$out/ort-native" "$out/models"
out=$(cd "$out" && pwd)

echo "Publishing ConR.GpuSmoke (self-contained, linux-x64) to $out/app"
dotnet publish "$here/ConR.GpuSmoke.csproj" -c Release -r linux-x64 --self-contained true -o "$out/app" -nologo -v:q

# The ONNX Runtime libraries (the CUDA provider alone is ~280 MB) leave the app folder for compressed parts.
shopt -s nullglob
cd "$out/app"
natives=(libonnxruntime*.so*)
if [ ${#natives[@]} -eq 0 ]; then
  echo "stage.sh: the published app has no libonnxruntime*.so; is Microsoft.ML.OnnxRuntime.Gpu still referenced?" >&2
  exit 1
fi
archive="$out/ort-native/ort-native.tar.gz"
echo "Compressing ${natives[*]}"
tar -cf - "${natives[@]}" | gzip -6 > "$archive"
(cd "$out/ort-native" && sha256sum ort-native.tar.gz > ort-native.tar.gz.sha256)
split -b "$part_size" -d -a 3 "$archive" "$archive.part-"
rm "$archive" "${natives[@]}"
cd "$repo"

# The bundled packages only: the card and the graph of each version.
for card in "$repo"/models/*/*/model.json; do
  package=$(dirname "${card#"$repo/models/"}")
  mkdir -p "$out/models/$package"
  cp "$repo/models/$package/model.json" "$repo/models/$package/model.onnx" "$out/models/$package/"
done

cp "$here/run.sh" "$out/run.sh"
chmod +x "$out/run.sh"

too_big=$(find "$out" -type f -size +"$((limit_bytes / 1024))"k)
if [ -n "$too_big" ]; then
  echo "stage.sh: over 60 MiB, will not fit one transfer: $too_big" >&2
  exit 1
fi

echo "Staged in $out ($(du -sh "$out" | cut -f1)):"
ls -l "$out/ort-native"
echo "On the GPU machine: $out/run.sh   (then remove $out: it is build output)"
