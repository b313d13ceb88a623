import { basename } from 'node:path';
import { InputError } from '../diagnostics/errors.ts';
import type { MetricId, Statistic } from '../metrics/definitions.ts';
import { datasetFromText, datasetLengths } from './datasets.ts';
import { hintsFromLabels, hintsFromName, preferLabelHints } from './hints.ts';
import { buildDeployment } from './normalize.ts';
import { readText } from './read-file.ts';
import { describe, isRecord, numberOrInf } from './values.ts';
import type { LengthSpec, MeasuredBenchmark, MeasuredMetric, MeasuredWorkload, PerRequestRecords } from './types.ts';

/**
 * vLLM serving-benchmark results (shared/reference/guidellm-format.md §5.5): the JSON written by legacy
 * `benchmarks/benchmark_serving.py --save-result` and by `vllm bench serve`, one object per run (or one per
 * line with --append-result); plus the nightly-benchmark harness summary (`benchmark_results.json`, a list
 * of table rows, and the same table in `benchmark_results.md`).
 * Metric meanings: vLLM `tpot` → tpot (request-weighted), `itl` → itl (every chunk gap), `ttft` → ttft,
 * `e2el` → e2e; milliseconds → seconds. Percentiles are numpy's linear interpolation.
 */

const LATENCY_KEY = /^(mean|median|std|p(\d+(?:\.\d+)?))_(ttft|tpot|itl|e2el)_ms$/;
const METRIC_OF: Readonly<Record<string, MetricId>> = { ttft: 'ttft', tpot: 'tpot', itl: 'itl', e2el: 'e2e' };
const PERCENTILE_OF: Readonly<Record<string, Statistic>> = { '50': 'median', '90': 'p90', '95': 'p95', '99': 'p99', '99.9': 'p999' };

/** Does this parsed JSON look like one vLLM serving-benchmark result? */
export function isVllmResult(doc: unknown): doc is Record<string, unknown> {
  if (!isRecord(doc)) return false;
  const id = ['model_id', 'num_prompts', 'request_rate', 'backend', 'endpoint_type'].some((k) => k in doc);
  const res = ['completed', 'duration', 'request_throughput', 'total_input_tokens'].some((k) => k in doc);
  return id && res;
}

/** The harness summary: a list of rows with a "Test name" column. */
export function isVllmSummaryRows(doc: unknown): doc is Record<string, unknown>[] {
  return Array.isArray(doc) && doc.length > 0 && doc.every((r) => isRecord(r) && 'Test name' in r);
}

export function importVllmDocuments(docs: readonly unknown[], file: string): MeasuredBenchmark[] {
  return docs.map((d, i) => {
    if (!isVllmResult(d)) {
      throw new InputError(`${file}: result ${i + 1}: not a vLLM benchmark result (expected keys such as model_id, duration, completed; found ${describe(d)})`);
    }
    return importResult(d, i, file, docs.length > 1);
  });
}

function field(file: string, key: string, multi: boolean, i: number): string {
  return `${file}: ${multi ? `result ${i + 1}: ` : ''}${key}`;
}

function importResult(d: Record<string, unknown>, i: number, file: string, multi: boolean): MeasuredBenchmark {
  const where = (k: string): string => field(file, k, multi, i);
  const requireNum = (k: string): number => {
    const v = numberOrInf(d[k]);
    if (v === undefined || !Number.isFinite(v)) throw new InputError(`${where(k)}: expected a number, found ${describe(d[k])}`);
    return v;
  };
  const duration = requireNum('duration');
  const completed = requireNum('completed');
  if (duration <= 0) throw new InputError(`${where('duration')}: expected a positive duration in seconds, found ${duration}`);
  const notes: string[] = ['vLLM serving benchmark; percentiles by numpy linear interpolation'];
  const reasons: string[] = [];

  // load
  const rate = numberOrInf(d.request_rate);
  const maxConc = typeof d.max_concurrency === 'number' ? d.max_concurrency : undefined;
  const burst = numberOrInf(d.burstiness) ?? 1;
  let w: Partial<MeasuredWorkload>;
  if (d.ramp_up_strategy !== undefined && d.ramp_up_strategy !== null) {
    w = {};
    reasons.push('ramp-up arrivals not supported');
    notes.push(`ramp-up ${String(d.ramp_up_strategy)} ${String(d.ramp_up_start_rps)}→${String(d.ramp_up_end_rps)} req/s`);
  } else if (rate === undefined) {
    throw new InputError(`${where('request_rate')}: expected a rate in req/s or "inf", found ${describe(d.request_rate)}`);
  } else if (rate === Infinity) {
    w = maxConc !== undefined ? { load: 'concurrent', concurrency: maxConc } : { load: 'throughput' };
    if (maxConc !== undefined) notes.push(`request_rate inf with max_concurrency ${maxConc}: closed loop at ${maxConc}`);
  } else if (burst === Infinity) {
    w = { load: 'constant', rate };
  } else if (burst === 1) {
    w = { load: 'poisson', rate };
  } else {
    w = { rate };
    reasons.push(`gamma arrivals (burstiness ${burst}) not supported`);
  }
  if (maxConc !== undefined && rate !== Infinity) notes.push(`max_concurrency ${maxConc} (client-side cap)`);

  // metrics
  const metrics: MeasuredMetric[] = [];
  const skipped: string[] = [];
  for (const [k, v] of Object.entries(d)) {
    const m = LATENCY_KEY.exec(k);
    if (!m) continue;
    const value = numberOrInf(v);
    if (value === undefined || !Number.isFinite(value)) continue;
    const metric = METRIC_OF[m[3]!]!;
    const stat: Statistic | undefined = m[1] === 'mean' ? 'mean' : m[1] === 'median' ? 'median' : m[2] ? PERCENTILE_OF[m[2]] : undefined;
    if (!stat) {
      skipped.push(k);
      continue;
    }
    if (metrics.some((x) => x.metric === metric && x.statistic === stat)) continue; // median and p50 both present
    metrics.push({ metric, statistic: stat, value: value / 1000 });
  }
  if (skipped.length > 0) notes.push(`not mapped (no statistic id): ${skipped.join(', ')}`);
  const thr = (k: string, metric: MetricId): void => {
    const v = numberOrInf(d[k]);
    if (v !== undefined && Number.isFinite(v)) metrics.push({ metric, statistic: 'value', value: v });
  };
  thr('request_throughput', 'request_throughput');
  thr('output_throughput', 'output_throughput');
  thr('total_token_throughput', 'total_token_throughput');
  const totalIn = numberOrInf(d.total_input_tokens);
  const totalOut = numberOrInf(d.total_output_tokens);
  if (totalIn !== undefined && Number.isFinite(totalIn)) {
    metrics.push({ metric: 'input_throughput', statistic: 'value', value: totalIn / duration });
  }
  if (metrics.length === 0) {
    throw new InputError(`${file}: ${multi ? `result ${i + 1}: ` : ''}no metrics: expected request_throughput, output_throughput or mean_/median_/pNN_ ttft|tpot|itl|e2el _ms keys`);
  }
  if (completed === 0) reasons.push('no successful requests');
  const failed = numberOrInf(d.failed);
  if (failed) notes.push(`${failed} failed requests`);

  // per-request arrays (successful requests only: errors[i] === "")
  const per = perRequestArrays(d, completed, notes);

  // lengths
  const labels = Object.fromEntries(Object.entries(d).filter(([, v]) => typeof v === 'string' || typeof v === 'number'));
  const lh = hintsFromLabels(labels);
  let lengths: LengthSpec | undefined;
  if (per) lengths = { kind: 'per-request', inputTokens: per.inputTokens, outputTokens: per.outputTokens };
  else {
    const hint = [d.dataset_name, d.dataset, basename(file)].find((x) => typeof x === 'string' && datasetFromText(x));
    const ds = datasetFromText(hint as string | undefined);
    if (totalIn !== undefined && totalOut !== undefined && completed > 0) {
      lengths = {
        kind: 'dataset',
        name: ds?.name ?? 'unstated',
        input: { mean: totalIn / completed },
        output: { mean: totalOut / completed },
        citation: 'mean token counts of this run: total_input_tokens / completed, total_output_tokens / completed (no per-request arrays in the file)',
      };
    } else if (ds) lengths = datasetLengths(ds);
    else reasons.push('workload lengths not stated');
  }

  // deployment
  const fh = hintsFromName(file);
  const backend = typeof d.backend === 'string' ? d.backend : undefined;
  const engine = lh.engine ?? (backend && /^(vllm|tgi|sglang|tensorrt-llm|trt-llm|lmdeploy|scalellm|deepspeed-mii)$/.test(backend) ? backend : undefined);
  if (backend && !engine) notes.push(`client backend "${backend}": the server engine is not stated`);
  const dep = buildDeployment({
    model: typeof d.model_id === 'string' ? d.model_id : lh.model,
    ...preferLabelHints(lh, fh),
    engine,
  });
  notes.push(...dep.notes);
  if (lh.tp === undefined && fh.tp !== undefined) notes.push('tp/pp taken from the file name');

  const num = numberOrInf(d.num_prompts);
  const workload: MeasuredWorkload = {
    ...w,
    ...(num !== undefined && Number.isFinite(num) ? { requests: num } : {}),
    durationS: duration,
    ...(lengths ? { lengths } : {}),
  };
  const reason = reasons[0] ?? dep.reason; // run problems first: a missing GPU can be supplied later (validate --hardware)
  const savedAt = savedAtOf(d.date);
  return {
    id: `${basename(file)}#${i}`,
    source: { file, tool: 'vllm-bench', format: 'result-json', notes: notes.join(' | '), ...(savedAt ? { savedAt } : {}) },
    deployment: dep.deployment,
    workload,
    metrics,
    ...(per ? { perRequest: per } : {}),
    ...(reason ? { unmappedReason: reason } : {}),
  };
}

/** vLLM bench's `date` ("%Y%m%d-%H%M%S", taken when the result is saved) as "YYYY-MM-DDTHH:MM:SS"; anything else: absent */
function savedAtOf(date: unknown): string | undefined {
  const m = typeof date === 'string' ? /^(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})$/.exec(date) : null;
  return m ? `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}` : undefined;
}

function perRequestArrays(d: Record<string, unknown>, completed: number, notes: string[]): PerRequestRecords | undefined {
  const arr = (k: string): unknown[] | undefined => (Array.isArray(d[k]) ? (d[k] as unknown[]) : undefined);
  const inputs = arr('input_lens');
  const outputs = arr('output_lens');
  if (!inputs || !outputs) return undefined;
  const ttfts = arr('ttfts');
  const itls = arr('itls');
  const latencies = arr('latencies');
  const errors = arr('errors');
  const n = inputs.length;
  const sameLength = [outputs, ttfts, itls, latencies, errors].every((a) => a === undefined || a.length === n);
  if (!sameLength) {
    notes.push('per-request arrays have different lengths: not used');
    return undefined;
  }
  const ok = [...Array(n).keys()].filter((k) => !errors || errors[k] === '' || errors[k] === null);
  if (ok.length !== completed) {
    notes.push(`per-request arrays cover ${ok.length} of ${completed} completed requests: not used`);
    return undefined;
  }
  const nums = (a: unknown[] | undefined): number[] | undefined => {
    if (!a) return undefined;
    const out = ok.map((k) => a[k]);
    return out.every((x) => typeof x === 'number' && Number.isFinite(x)) ? (out as number[]) : undefined;
  };
  const inputTokens = nums(inputs);
  const outputTokens = nums(outputs);
  if (!inputTokens || !outputTokens) {
    notes.push('input_lens/output_lens hold non-numbers: not used');
    return undefined;
  }
  const ttftS = nums(ttfts);
  let e2eS = nums(latencies);
  if (!e2eS && ttftS && itls) {
    const sums = ok.map((k) => {
      const g = itls[k];
      return Array.isArray(g) && g.every((x) => typeof x === 'number') ? (g as number[]).reduce((a, b) => a + b, 0) : undefined;
    });
    if (sums.every((x) => x !== undefined)) {
      e2eS = sums.map((s, j) => ttftS[j]! + s!);
      notes.push('per-request e2e = ttft + Σ itl (legacy files have no latencies array)');
    }
  }
  let tpotS: number[] | undefined;
  const single = outputTokens.filter((x) => x <= 1).length;
  if (e2eS && ttftS && single === 0) tpotS = e2eS.map((e, j) => (e - ttftS[j]!) / (outputTokens[j]! - 1));
  else if (e2eS && ttftS) notes.push(`per-request tpot omitted: ${single} requests have ≤1 output token (tpot undefined)`);
  return {
    inputTokens,
    outputTokens,
    ...(ttftS ? { ttftS } : {}),
    ...(e2eS ? { e2eS } : {}),
    ...(tpotS ? { tpotS } : {}),
  };
}

// ---------------------------------------------------------------------------------------------------
// harness summary tables (benchmark_results.json rows / benchmark_results.md)

const SUMMARY_COLUMNS: readonly { re: RegExp; metric: MetricId; stat: Statistic; scale: number }[] = [
  { re: /^tput \(req\/s\)$/i, metric: 'request_throughput', stat: 'value', scale: 1 },
  { re: /^output tput \(tok\/s\)$/i, metric: 'output_throughput', stat: 'value', scale: 1 },
  { re: /^total tput \(tok\/s\)$/i, metric: 'total_token_throughput', stat: 'value', scale: 1 },
  { re: /^mean ttft \(ms\)$/i, metric: 'ttft', stat: 'mean', scale: 1e-3 },
  { re: /^median ttft \(ms\)$/i, metric: 'ttft', stat: 'median', scale: 1e-3 },
  { re: /^p99 ttft \(ms\)$/i, metric: 'ttft', stat: 'p99', scale: 1e-3 },
  { re: /^mean tpot \(ms\)$/i, metric: 'tpot', stat: 'mean', scale: 1e-3 },
  { re: /^median tpot \(ms\)$/i, metric: 'tpot', stat: 'median', scale: 1e-3 },
  { re: /^p99 tpot \(ms\)$/i, metric: 'tpot', stat: 'p99', scale: 1e-3 },
  { re: /^mean itl \(ms\)$/i, metric: 'itl', stat: 'mean', scale: 1e-3 },
  { re: /^median itl \(ms\)$/i, metric: 'itl', stat: 'median', scale: 1e-3 },
  { re: /^p99 itl \(ms\)$/i, metric: 'itl', stat: 'p99', scale: 1e-3 },
  { re: /^mean latency \(ms\)$/i, metric: 'e2e', stat: 'mean', scale: 1e-3 },
  { re: /^median latency \(ms\)$/i, metric: 'e2e', stat: 'median', scale: 1e-3 },
  { re: /^p99 latency \(ms\)$/i, metric: 'e2e', stat: 'p99', scale: 1e-3 },
];

export function importVllmSummaryRows(rows: readonly Record<string, unknown>[], file: string, format = 'summary-json'): MeasuredBenchmark[] {
  return rows.map((row, i) => {
    const name = String(row['Test name'] ?? '');
    const notes = [`vLLM nightly-benchmark summary row "${name}"`];
    const reasons: string[] = [];
    const metrics: MeasuredMetric[] = [];
    for (const [col, v] of Object.entries(row)) {
      const c = SUMMARY_COLUMNS.find((s) => s.re.test(col.trim()));
      if (!c) continue;
      const value = numberOrInf(v);
      if (value === undefined || !Number.isFinite(value)) {
        if (v !== '' && v !== null && v !== undefined) {
          throw new InputError(`${file}: row ${i + 1} ("${name}"): column "${col}": expected a number, found ${describe(v)}`);
        }
        continue;
      }
      metrics.push({ metric: c.metric, statistic: c.stat, value: value * c.scale });
    }
    if (metrics.length === 0) reasons.push('no usable metric');
    let w: Partial<MeasuredWorkload> = {};
    const qps = /qps_?(inf|\d+(?:\.\d+)?)/i.exec(name);
    if (/^serving/i.test(name) || qps) {
      if (!qps) reasons.push('request rate not stated');
      else if (/inf/i.test(qps[1]!)) w = { load: 'throughput' };
      else w = { load: 'poisson', rate: Number(qps[1]) };
    } else if (/^latency/i.test(name)) {
      reasons.push('load not stated');
    } else if (/^throughput/i.test(name)) w = { load: 'throughput' };
    else reasons.push('load not stated');
    const reqs = numberOrInf(row['# of req.']);
    const gpu = typeof row.GPU === 'string' ? row.GPU.replace(/\s+x\s+1$/, '') : undefined;
    const fh = hintsFromName(`${name}_${basename(file)}`);
    const dep = buildDeployment({ gpu, tp: fh.tp, pp: fh.pp, model: undefined });
    notes.push(...dep.notes);
    const ds = /sharegpt/i.test(name) ? datasetFromText('sharegpt') : undefined;
    if (!ds) reasons.push('workload lengths not stated');
    const workload: MeasuredWorkload = {
      ...w,
      ...(reqs !== undefined && Number.isFinite(reqs) ? { requests: reqs } : {}),
      ...(ds ? { lengths: datasetLengths(ds) } : {}),
    };
    const reason = reasons[0] ?? dep.reason; // run problems first: a missing GPU can be supplied later (validate --hardware)
    return {
      id: `${basename(file)}#${i}`,
      source: { file, tool: 'vllm-bench', format, notes: notes.join(' | ') },
      deployment: dep.deployment,
      workload,
      metrics,
      ...(reason ? { unmappedReason: reason } : {}),
    };
  });
}

/** Markdown pipe tables whose header has a "Test name" column → rows keyed by column name. */
export function parseMarkdownTables(text: string): Record<string, string>[] {
  const out: Record<string, string>[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (!line.startsWith('|') || !/\|\s*Test name\s*\|/i.test(line)) continue;
    const header = cells(line);
    const sep = lines[i + 1]?.trim() ?? '';
    if (!/^\|[\s:|-]+\|$/.test(sep)) continue;
    for (let j = i + 2; j < lines.length && lines[j]!.trim().startsWith('|'); j++) {
      const c = cells(lines[j]!.trim());
      out.push(Object.fromEntries(header.map((h, k) => [h, c[k] ?? ''])));
      i = j;
    }
  }
  return out;
}

function cells(line: string): string[] {
  return line.replace(/^\|/, '').replace(/\|$/, '').split('|').map((c) => c.trim());
}

export function importVllmMarkdown(path: string, text: string = readText(path)): MeasuredBenchmark[] {
  const rows = parseMarkdownTables(text);
  if (rows.length === 0) throw new InputError(`${path}: no markdown table with a "Test name" column (a vLLM benchmark_results.md table) was found`);
  return importVllmSummaryRows(rows, path, 'summary-md');
}
