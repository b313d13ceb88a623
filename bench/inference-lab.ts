/**
 * In-process runner for @doublewordai/inference-lab (Rust -> WASM, npm 0.2.x). Benchmark-only
 * devDependency: nothing under src/ may import this.
 *
 * API (inference_lab.d.ts): `initSync({ module: bytes })` instantiates the WASM synchronously, then
 * `run_simulation(configJson)` runs one whole simulation and returns `{ metrics, time_series, ... }`.
 * The config is the JSON form of its TOML config: hardware, model, scheduler, workload, simulation.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { initSync, run_simulation } from '@doublewordai/inference-lab';

let ready = false;

export function initInferenceLab(): void {
  if (ready) return;
  const require = createRequire(import.meta.url);
  const dir = dirname(require.resolve('@doublewordai/inference-lab/package.json'));
  initSync({ module: readFileSync(join(dir, 'inference_lab_bg.wasm')) });
  ready = true;
}

export interface InferenceLabMetrics {
  readonly completed_requests: number;
  readonly total_requests: number;
  readonly total_time: number;
  readonly requests_per_sec: number;
  readonly output_tokens_per_sec: number;
  readonly input_tokens_per_sec: number;
  readonly ttft_p50: number;
  readonly e2e_p50: number;
  readonly total_preemptions: number;
  readonly [k: string]: unknown;
}

/** wasm-bindgen may hand back Maps for Rust maps; normalise to plain objects */
function plain(x: unknown): unknown {
  if (x instanceof Map) return Object.fromEntries([...x.entries()].map(([k, v]) => [k, plain(v)]));
  return x;
}

export function runInferenceLab(config: object): InferenceLabMetrics {
  initInferenceLab();
  const out = plain(run_simulation(JSON.stringify(config))) as { metrics: unknown };
  return plain(out.metrics) as InferenceLabMetrics;
}
