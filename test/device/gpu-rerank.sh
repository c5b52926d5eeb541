#!/usr/bin/env bash
# The GPU device check (issue 14), for a Linux machine with an NVIDIA GPU and no network, on a checkout where
# `npm run setup` already ran (node_modules installed) with ../shared beside it (Cranfield, the BERT tokenizer).
# It prints what the machine offers (GPU, Vulkan drivers, the CUDA add-on's NEEDED libraries), where each model
# really runs per provider (PROVIDER_REPORT lines: provider kept, fallback reason, probe times, node placement), and
# the rerank benchmark's BENCH_SUMMARY on WebGPU and, when the add-on is installed, on CUDA (its summary names the
# provider that really ran: a GPU that fails its probe or loses to the CPU leaves the bench on the CPU).
# Every step is cut at its own limit and at one deadline, so the whole script ends within 8 minutes.
#   bash test/device/gpu-rerank.sh            (LOCALRAG_BENCH_QUESTIONS=3 by default)
set -u
cd "$(dirname "$0")/../.."
questions="${LOCALRAG_BENCH_QUESTIONS:-3}"
addon=node_modules/onnxruntime-node/bin/napi-v6/linux/x64/libonnxruntime_providers_cuda.so
start=$(date +%s)
deadline=$(( start + 450 ))
# limit N: N seconds, or what is left before the deadline if that is less (at least 1).
limit() { local left=$(( deadline - $(date +%s) )); [ "$left" -lt "$1" ] && echo $(( left > 1 ? left : 1 )) || echo "$1"; }

echo "== machine"
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>/dev/null || echo "nvidia-smi: not found"
node --version
echo "== Vulkan drivers seen by WebGPU (Dawn)"
timeout "$(limit 60)" node --import tsx -e "const m = await import('./core/embed/gpu-adapters.ts'); console.log(JSON.stringify(m.vulkanDrivers())); console.log('webgpu:', m.providerUnavailableReason('webgpu') ?? 'may be tried')"
echo "== CUDA add-on"
if [ -f "$addon" ]; then readelf -d "$addon" | grep NEEDED; else echo "not installed ($addon)"; fi

echo "== synthesised bench models (random weights, the real shapes)"
timeout "$(limit 150)" node --import tsx -e "await (await import('./test/bench/corpus.ts')).benchModels()" || echo "model synthesis failed or timed out"

report() { timeout "$(limit 60)" node --import tsx test/device/provider-report.ts --provider "$1" 2>&1 | grep -E '^(PROVIDER_REPORT|onnx:)|Error' || echo "provider report for $1 failed or timed out"; }
bench() { timeout "$(limit 120)" node --import tsx test/bench/rerank.bench.ts --questions "$questions" --provider "$1" 2>&1 | grep -E '^(BENCH_SUMMARY|rerank bench|warning)|Error' || echo "rerank bench on $1 failed or timed out"; }
echo "== provider auto (what users get)"; report auto
for p in webgpu $([ -f "$addon" ] && echo cuda); do
  echo "== provider $p"; report "$p"; bench "$p"
done
echo "== done in $(( $(date +%s) - start )) s"
