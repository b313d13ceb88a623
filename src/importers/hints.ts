/** Deployment hints in file names and labels ("…_tp4_quant-fp8_…", "…_8xH100_…"), for the importers. */
import { basename } from 'node:path';
import { normalizeGpu, type DeploymentInput } from './normalize.ts';

export interface NameHints {
  readonly tp?: number;
  readonly pp?: number;
  readonly ep?: number;
  readonly precision?: string;
  readonly gpu?: string;
  readonly numGpus?: number;
}

const GPU_TOKEN =
  /(?:^|[_\-.\s/])((?:\d+x)?(?:gb200|gh200|b200|h200|h100|a100|l40s|l4|mi300x|mi325x|mi355x)(?:[-_](?:sxm\d?|pcie|nvl|\d+gb))*)(?=$|[_\-.\s/])/i;

export function hintsFromName(name: string): NameHints {
  const s = basename(name);
  const num = (re: RegExp): number | undefined => {
    const m = re.exec(s);
    return m ? Number(m[1]) : undefined;
  };
  const tp = num(/(?:^|[_\-.])tp[-_]?(\d+)(?=$|[_\-.])/i);
  const pp = num(/(?:^|[_\-.])pp[-_]?(\d+)(?=$|[_\-.])/i);
  const ep = num(/(?:^|[_\-.])ep[-_]?(\d+)(?=$|[_\-.])/i);
  const prec = /(?:^|[_\-.])(?:quant|precision|dtype)[-_]([a-z0-9]+)(?=$|[_\-.])/i.exec(s)?.[1];
  const gpuTok = GPU_TOKEN.exec(s)?.[1];
  const gpu = gpuTok !== undefined && normalizeGpu(gpuTok).hardwareId !== undefined ? gpuTok : undefined;
  const count = gpu !== undefined ? normalizeGpu(gpu).count : undefined;
  return {
    ...(tp !== undefined ? { tp } : {}),
    ...(pp !== undefined ? { pp } : {}),
    ...(ep !== undefined ? { ep } : {}),
    ...(prec !== undefined ? { precision: prec } : {}),
    ...(gpu !== undefined ? { gpu } : {}),
    ...(count !== undefined ? { numGpus: count } : {}),
  };
}

export interface LabelHints extends NameHints {
  readonly model?: string;
  readonly engine?: string;
}

/** Hints from free-form labels (GuideLLM v0.7 `--label key=value`, vLLM `--metadata`). */
export function hintsFromLabels(labels: Readonly<Record<string, unknown>>): LabelHints {
  const get = (...keys: string[]): string | undefined => {
    for (const [k, v] of Object.entries(labels)) {
      if (keys.includes(k.toLowerCase()) && (typeof v === 'string' || typeof v === 'number')) return String(v);
    }
    return undefined;
  };
  const int = (v: string | undefined): number | undefined =>
    v !== undefined && /^\d+$/.test(v.trim()) ? Number(v.trim()) : undefined;
  const gpu = get('gpu', 'gpu_type', 'hardware', 'accelerator', 'device');
  const tp = int(get('tp', 'tensor_parallel', 'tensor_parallel_size', 'tp_size'));
  const pp = int(get('pp', 'pipeline_parallel', 'pipeline_parallel_size', 'pp_size'));
  const ep = int(get('ep', 'expert_parallel', 'expert_parallel_size', 'ep_size'));
  const numGpus = int(get('num_gpus', 'gpus', 'gpu_count', 'n_gpus'));
  const precision = get('quant', 'quantization', 'precision', 'dtype');
  const model = get('model');
  const engine = get('engine', 'server', 'backend_engine');
  return {
    ...(gpu !== undefined ? { gpu } : {}),
    ...(tp !== undefined ? { tp } : {}),
    ...(pp !== undefined ? { pp } : {}),
    ...(ep !== undefined ? { ep } : {}),
    ...(numGpus !== undefined ? { numGpus } : {}),
    ...(precision !== undefined ? { precision } : {}),
    ...(model !== undefined ? { model } : {}),
    ...(engine !== undefined ? { engine } : {}),
  };
}

/** Labels a run states about itself win over hints in its file name, field by field. */
export function preferLabelHints(fromLabels: NameHints, fromName: NameHints): Pick<DeploymentInput, 'gpu' | 'numGpus' | 'tp' | 'pp' | 'ep' | 'precision'> {
  return {
    gpu: fromLabels.gpu ?? fromName.gpu,
    numGpus: fromLabels.numGpus ?? fromName.numGpus,
    tp: fromLabels.tp ?? fromName.tp,
    pp: fromLabels.pp ?? fromName.pp,
    ep: fromLabels.ep ?? fromName.ep,
    precision: fromLabels.precision ?? fromName.precision,
  };
}
