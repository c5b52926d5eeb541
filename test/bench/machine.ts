// How busy the machine was while a benchmark ran, and what ONNX Runtime made of a model graph: the context that
// benchmark figures need to be read honestly on shared cores.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import ort from 'onnxruntime-node';
import onnxProto from 'onnx-proto';
import { cpuSessionOptions } from '../../core/embed/session-options.js';
import { tempDir } from '../support/temp.js';

/** Busy CPU time of the whole machine (Linux /proc/stat), in core-seconds; null elsewhere. */
function machineBusySeconds(): number | null {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const [user, nice, system, , , irq, softirq, steal] = fields;
    return (user! + nice! + system! + irq! + softirq! + (steal ?? 0)) / 100; // USER_HZ is 100 on Linux
  } catch {
    return null;
  }
}

/** Starts a window; stop() says how many cores' worth of CPU other processes used during it. */
export function loadWindow(): { stop(): { otherProcessesCores: number | null; wallS: number } } {
  const t0 = performance.now();
  const busy0 = machineBusySeconds();
  const own0 = process.cpuUsage();
  return {
    stop() {
      const wallS = (performance.now() - t0) / 1000;
      const busy1 = machineBusySeconds();
      const own = process.cpuUsage(own0);
      if (busy0 === null || busy1 === null) return { otherProcessesCores: null, wallS };
      const other = (busy1 - busy0) - (own.user + own.system) / 1e6;
      return { otherProcessesCores: Math.max(0, other / wallS), wallS };
    },
  };
}

/** Node counts by op type ("domain:Op" outside the default domain) of a model file. */
export function opHistogram(modelPath: string): Record<string, number> {
  const model = onnxProto.onnx.ModelProto.decode(readFileSync(modelPath));
  const counts: Record<string, number> = {};
  for (const n of model.graph!.node!) {
    const key = n.domain && n.domain !== 'ai.onnx' ? `${n.domain.replace('com.microsoft', 'ms')}:${n.opType}` : n.opType!;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return Object.fromEntries(Object.entries(counts).sort((a, b) => b[1] - a[1]));
}

/** The histogram of the graph ORT actually runs on the CPU with our session options. */
export async function optimisedOpHistogram(modelPath: string): Promise<Record<string, number>> {
  const dir = tempDir('localrag-optimised-');
  const out = join(dir, 'optimised.onnx');
  // ORT warns that a level-'all' graph is hardware specific; that is what we want to see, so keep it quiet.
  const session = await ort.InferenceSession.create(modelPath, { ...cpuSessionOptions(), executionProviders: ['cpu'], optimizedModelFilePath: out, logSeverityLevel: 3 });
  await session.release();
  const histogram = opHistogram(out);
  rmSync(dir, { recursive: true, force: true });
  return histogram;
}
