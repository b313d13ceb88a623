import { describe, expect, it } from 'vitest';
import type { ValidationReport } from '../../src/calibration/validate.ts';
import type { PlanResult } from '../../src/planning/plan.ts';
import type { SweepRow } from '../../src/planning/sweep-worker.ts';
import { InputError } from '../../src/diagnostics/errors.ts';
import { latencyVsRateSpec } from '../../src/report/charts/latency-vs-rate.ts';
import {
  calibrationPointsFromCompared,
  calibrationPointsFromValidation,
  candidateRowsFromCompare,
  cdfFromReport,
  chartFilesFor,
  parseResultFile,
  parseSweepFile,
  ratePointsFromPlan,
  ratePointsFromReports,
  ratePointsFromSweepRows,
  reportDocumentFromResults,
  sloLinesFromText,
  stepBreakdownRows,
  suffixedChartFile,
  timelineFromReport,
  type SimulateReport,
} from '../../src/report/from-results.ts';

const lat = (median: number, p99: number) => ({ count: 100, mean: median, stdev: 1, median, p90: (median + p99) / 2, p95: p99 * 0.9, p99, p999: p99 * 1.1, min: median / 2, max: p99 * 1.2 });

function simDoc(rate: number, ttftP99: number, verdict: 'stable' | 'backlogged' = 'stable'): SimulateReport {
  const other = lat(5, 10);
  return {
    schemaVersion: 2,
    seed: '1',
    deployment: { model: 'llama-3.1-8b', hardware: 'h200-sxm', tp: 1, pp: 1, ep: 1, replicas: 1, gpus: 1, weights: 'bf16', activations: 'bf16', kvCache: 'bf16', engine: 'vllm', policy: 'vllm', router: 'least-outstanding', calibration: 'x', calibrationProvenance: 'fitted', kvTokensPerReplica: 1e6 },
    workload: { profile: 'poisson', ratePerS: rate, lengths: { kind: 'fixed', inputTokens: 500, outputTokens: 250 }, maxRequests: 100, maxSeconds: null, warmupFraction: 0, cooldownFraction: 0 },
    requests: { issued: 100, completed: 100, counted: 90, rejected: 0, rejectReasons: {}, incomplete: 0, peakOutstanding: 10, peakMaterialized: 10 },
    durationS: 10,
    simulatedTimeS: 11,
    throughput: { requestsPerS: rate, outputTokensPerS: rate * 250, inputTokensPerS: rate * 500, totalTokensPerS: rate * 750 },
    latencyMs: { ttft: lat(ttftP99 / 2, ttftP99), e2e: lat(2000, 4000), queue_time: other, itl: lat(10, 20), tpot: other, itl_guidellm: other, tpot_guidellm: other, tpot_guidellm_v03: other },
    slo: { spec: 'ttft:p99<=200ms', met: ttftP99 <= 200, attainment: 0.99, goodputRequestsPerS: rate * 0.99, checks: [{ metric: 'ttft', percentile: 99, thresholdMs: 200, valueMs: ttftP99, met: ttftP99 <= 200 }] },
    saturation: { verdict, offeredRatePerS: rate, achievedRatePerS: rate, reason: '', explanation: '', evidence: null, stoppedEarly: null },
    engine: { steps: 1, events: 1, preemptions: 0, meanDecodeBatch: 1, busyFraction: 0.5, meanKvUtilization: 0.1, peakKvUtilization: 0.2 },
    timeSeries: [
      { timeS: 0, kvUtilization: 0, running: 0, waiting: 0, preemptions: 0 },
      { timeS: 1, kvUtilization: 0.3, running: 8, waiting: 2, preemptions: 0 },
    ],
    warnings: [],
    uncertainty: { basis: 'test band', band80Ms: { ttftP99Ms: [ttftP99 * 0.8, ttftP99 * 1.3] } },
  };
}

function sweepRow(over: Partial<SweepRow>): SweepRow {
  return {
    index: 0, key: 'k', points: 4, status: 'ok', reason: '', model: 'm', hardware: 'h200-sxm', tp: 1, weights: 'bf16', kvCache: 'bf16', engine: 'vllm', replicas: 1, decodeReplicas: null,
    rate: 5, seed: '42', workload: 'chat', slo: 'ttft:p99<=200ms,itl:p99<=50ms', maxRequests: 100, gpus: 1, throughputReqPerS: 5, outputTokPerS: 1000,
    ttftP50Ms: 30, ttftP99Ms: 60, itlP50Ms: 10, itlP99Ms: 20, tpotP50Ms: 10, tpotP99Ms: 15, e2eP50Ms: 1000, e2eP99Ms: 2000, sloMet: true, sloAttainment: 1, goodputPerS: 5,
    saturation: 'stable', preemptions: 0,
    ttftP99Band80LowMs: null, ttftP99Band80HighMs: null, tpotP99Band80LowMs: null, tpotP99Band80HighMs: null, e2eP99Band80LowMs: null, e2eP99Band80HighMs: null, sloProbability: null,
    ...over,
  };
}

const plan = (over: Partial<PlanResult> = {}): PlanResult =>
  ({
    schemaVersion: 1,
    deployment: { model: 'm', hardware: 'h', tp: 1, pp: 1, weights: 'bf16', kvCache: 'bf16', engine: 'vllm', gpusPerReplica: 1, label: 'm@h:tp=1' },
    slo: 'ttft:p99<=200ms,itl:p99<=50ms',
    seed: '42',
    feasible: true,
    infeasibleReason: undefined,
    capacity: {
      perReplicaRatePerS: 10, failingRatePerS: 11, saturationRatePerS: 12, binding: 'ttft', bindingExplanation: '',
      latencyAtCapacity: { ttftP50Ms: 50, ttftP99Ms: 190, itlP50Ms: 10, itlP99Ms: 30, tpotP50Ms: 10, tpotP99Ms: 20, e2eP50Ms: 1000, e2eP99Ms: 3000 },
      checks: [{ ratePerS: 5, passed: true, why: '' }, { ratePerS: 11, passed: false, why: 'ttft' }],
    },
    target: {
      ratePerS: 40, headroom: 0.2, estimatedReplicas: 5, replicas: 5, gpus: 5, nodes: 1, verified: true, verificationAddedReplicas: 0, verificationNote: '',
      latency: { ttftP50Ms: 40, ttftP99Ms: 120, itlP50Ms: 9, itlP99Ms: 25, tpotP50Ms: 9, tpotP99Ms: 18, e2eP50Ms: 900, e2eP99Ms: 2500 },
      sloAttainment: 1, outputTokensPerS: 10000, usdPerGpuHour: 4, usdPerHour: 20, usdPerMillionOutputTokens: 0.5, margin: 0.25, saturationUtilization: 0.6, verificationChecks: [],
    },
    simulations: 10,
    notes: [],
    ...over,
  }) as PlanResult;

describe('chart file names', () => {
  it('suffixes before the extension, keeping .vl.json', () => {
    expect(suffixedChartFile('out.png', 'cdf')).toBe('out-cdf.png');
    expect(suffixedChartFile('dir.x/out.vl.json', 'roofline')).toBe('dir.x/out-roofline.vl.json');
    expect(chartFilesFor('a/b.svg', ['latency', 'throughput', 'cdf'])).toEqual(['a/b.svg', 'a/b-throughput.svg', 'a/b-cdf.svg']);
  });
});

describe('simulate documents', () => {
  it('maps runs to rate points with the deployment as series', () => {
    const pts = ratePointsFromReports([simDoc(5, 100), simDoc(10, 900, 'backlogged')]);
    expect(pts).toHaveLength(2);
    expect(pts[0]).toMatchObject({ series: 'llama-3.1-8b · 1×h200-sxm TP1', requestRatePerS: 5, ttftP99Ms: 100, itlP99Ms: 20, outputTokensPerS: 1250, saturated: false });
    expect(pts[1]!.saturated).toBe(true);
  });
  it('builds a monotone CDF from reported percentiles', () => {
    const cdf = cdfFromReport(simDoc(5, 100), 'run');
    const ttft = cdf.filter((p) => p.metric === 'ttft');
    expect(ttft.map((p) => p.cumulativeFraction)).toEqual([0, 0.5, 0.9, 0.95, 0.99, 0.999, 1]);
    for (let i = 1; i < ttft.length; i++) expect(ttft[i]!.valueMs).toBeGreaterThanOrEqual(ttft[i - 1]!.valueMs);
  });
  it('maps the time series', () => {
    expect(timelineFromReport(simDoc(5, 100))[1]).toEqual({ timeS: 1, kvUtilization: 0.3, batchSize: 8, queueLength: 2 });
  });
});

describe('explain, plan, compare, sweep, calibration', () => {
  it('step breakdown: seconds to ms and shares', () => {
    const rows = stepBreakdownRows({ totalS: 0.01, operators: [{ op: 'mlp', timeS: 0.006, flops: 1e12, bytes: 1e9, bound: 'compute', arithmeticIntensity: 1000 }, { op: 'allreduce', timeS: 0.004, flops: 0, bytes: 0, bound: 'communication', arithmeticIntensity: 0 }] } as never, 'decode');
    expect(rows[0]).toMatchObject({ step: 'decode', operator: 'mlp', timeMs: 6, share: 0.6, bound: 'compute' });
    expect(rows[1]!.share).toBeCloseTo(0.4);
  });
  it('plan: the planned points, per replica', () => {
    const pts = ratePointsFromPlan(plan());
    expect(pts.map((p) => p.requestRatePerS)).toEqual([8, 10]);
    expect(pts[1]!.ttftP99Ms).toBe(190);
    expect(ratePointsFromPlan(plan({ feasible: false }))).toEqual([]);
  });
  it('compare: candidate rows with winners', () => {
    const rows = candidateRowsFromCompare({ rows: [{ ...plan(), candidate: 'a', best: ['lowest $/Mtok', 'fewest GPUs'] }] });
    expect(rows[0]).toMatchObject({ label: 'a', replicas: 5, gpus: 5, usdPerHour: 20, meetsSlo: true, winners: ['usdPerMillionOutputTokens', 'gpus'] });
  });
  it('compare: an unpriced candidate says "no price" with the --price to pass, in the chart rows, table and decision', () => {
    const priced = { ...plan(), candidate: 'a@h', best: ['lowest $/Mtok' as const] };
    const t = plan().target!;
    const unpriced = {
      ...plan({ target: { ...t, usdPerGpuHour: undefined, usdPerHour: undefined, usdPerMillionOutputTokens: undefined } }),
      deployment: { ...plan().deployment, hardware: 'b200', label: 'm@b200:tp=1' },
      candidate: 'm@b200',
      best: [],
    };
    const rows = candidateRowsFromCompare({ rows: [priced, unpriced] });
    expect(rows[1]).toMatchObject({ label: 'm@b200', priceNote: 'no price — pass --price b200=USD_PER_GPU_HOUR' });
    expect(rows[0]!.priceNote).toBeUndefined();
    const doc = { schemaVersion: 1, rows: [priced, unpriced], skipped: [], best: { 'lowest $/Mtok': 'a@h' }, slo: '', headroom: 0.2, targetRatePerS: 40, simulations: 1 };
    const report = reportDocumentFromResults([parseResultFile('c.json', JSON.stringify(doc))]);
    const section = report.sections.find((s) => s.heading.startsWith('Comparison'))!;
    expect(section.table!.rows[1]!.slice(4, 6)).toEqual(['no price', 'no price']);
    expect(section.text).toMatch(/cheapest of the priced candidates; not ranked by cost: m@b200, no price — pass --price b200=USD_PER_GPU_HOUR/);
  });
  it('sweep: one series per deployment, seeds averaged, infeasible dropped', () => {
    const rows = [
      sweepRow({ rate: 5, seed: '1', ttftP99Ms: 50 }),
      sweepRow({ rate: 5, seed: '2', ttftP99Ms: 70 }),
      sweepRow({ rate: 10, ttftP99Ms: 500, saturation: 'backlogged' }),
      sweepRow({ weights: 'fp8', rate: 5 }),
      sweepRow({ hardware: 'b200', status: 'infeasible', ttftP99Ms: null }),
    ];
    const pts = ratePointsFromSweepRows(rows);
    expect(pts).toHaveLength(3);
    const bf16 = pts.filter((p) => p.series === 'm@h200-sxm TP1 bf16');
    expect(bf16.map((p) => [p.requestRatePerS, p.ttftP99Ms, p.saturated])).toEqual([[5, 60, false], [10, 500, true]]);
  });
  it('sweep: TPOT reaches the rate points (seeds averaged) beside ITL', () => {
    const pts = ratePointsFromSweepRows([sweepRow({ rate: 5, seed: '1', tpotP50Ms: 10, tpotP99Ms: 20 }), sweepRow({ rate: 5, seed: '2', tpotP50Ms: 12, tpotP99Ms: 24 })]);
    expect(pts.map((p) => [p.tpotP50Ms, p.tpotP99Ms])).toEqual([[11, 22]]);
  });
  it('sweep CSV parses back to rows', () => {
    const csv = 'index,key,status,model,hardware,tp,weights,kvCache,engine,rate,ttftP99Ms,sloMet,saturation\n0,k,ok,m,h,2,fp8,bf16,vllm,5,42.5,true,stable\n';
    const [row] = parseSweepFile(csv);
    expect(row).toMatchObject({ tp: 2, rate: 5, ttftP99Ms: 42.5, sloMet: true, weights: 'fp8' });
  });
  it('SLO text to reference lines, tpot included (charts without a TPOT panel name it in the subtitle)', () => {
    expect(sloLinesFromText('ttft:p99<=200ms,itl:p90<=0.05s,tpot:p99<=1ms')).toEqual([
      { metric: 'ttft', percentile: 'p99', thresholdMs: 200 },
      { metric: 'itl', percentile: 'p90', thresholdMs: 50 },
      { metric: 'tpot', percentile: 'p99', thresholdMs: 1 },
    ]);
  });
  it('a tpot (or undrawn e2e) objective is named in the latency-vs-rate subtitle, never silently dropped', () => {
    const pts = [{ series: 'a', requestRatePerS: 5, ttftP50Ms: 40, ttftP99Ms: 80, itlP50Ms: 9, itlP99Ms: 30, outputTokensPerS: 900, requestsPerS: 5, saturated: false }];
    const subtitle = (slo: string, metrics?: ('ttft' | 'itl' | 'e2e')[]) =>
      (latencyVsRateSpec(pts, { slo: sloLinesFromText(slo), ...(metrics ? { metrics } : {}) }) as { title: { subtitle?: string[] } }).title.subtitle?.join('\n') ?? '';
    expect(subtitle('ttft:p99<=200ms,tpot:p99<=50ms')).toContain('SLO not drawn (no panel for it): TPOT p99 ≤ 50 ms');
    expect(subtitle('ttft:p99<=200ms,e2e:p99<=3s')).toContain('E2E p99 ≤ 3,000 ms');
    expect(subtitle('ttft:p99<=200ms,e2e:p99<=3s', ['ttft', 'itl', 'e2e'])).not.toContain('SLO not drawn');
    expect(subtitle('ttft:p99<=200ms,itl:p99<=50ms')).not.toContain('SLO not drawn');
  });
  it('calibration points: seconds to ms, key statistics, split kept', () => {
    const rows = [
      { benchmarkId: 'b#0', metric: 'ttft', statistic: 'p99', measured: 0.1, predicted: 0.12, apePct: 20, source: 's', model: 'm', hardware: 'h', tp: 1, engine: 'vllm', load: 'constant 5/s', calibration: 'c', split: 'check' },
      { benchmarkId: 'b#0', metric: 'ttft', statistic: 'p95', measured: 0.1, predicted: 0.12, apePct: 20, source: 's', model: 'm', hardware: 'h', tp: 1, engine: 'vllm', load: 'constant 5/s', calibration: 'c', split: 'check' },
      { benchmarkId: 'b#1', metric: 'output_throughput', statistic: 'value', measured: 1000, predicted: 900, apePct: 10, source: 's', model: 'm', hardware: 'h', tp: 1, engine: 'vllm', load: 'sync', calibration: 'c', split: 'fit' },
    ] as unknown as ValidationReport['rows'];
    const pts = calibrationPointsFromValidation({ rows });
    expect(pts).toHaveLength(2);
    expect(pts[0]).toMatchObject({ metric: 'TTFT p99', measured: 100, predicted: 120, unit: 'ms', split: 'check' });
    expect(pts[1]).toMatchObject({ metric: 'Output throughput', measured: 1000, unit: 'tokens/s', split: 'fit' });
    expect(calibrationPointsFromCompared(rows, 'fit', true)).toHaveLength(3);
  });
});

describe('result files and report documents', () => {
  it('recognises each kind of result', () => {
    expect(parseResultFile('a.json', JSON.stringify(simDoc(5, 100))).kind).toBe('simulate');
    expect(parseResultFile('a.json', JSON.stringify({ schemaVersion: 2, runs: [simDoc(5, 100), simDoc(8, 150)] }))).toMatchObject({ kind: 'simulate', runs: { length: 2 } });
    expect(parseResultFile('p.json', JSON.stringify(plan())).kind).toBe('plan');
    expect(parseResultFile('c.json', JSON.stringify({ schemaVersion: 1, rows: [{ ...plan(), candidate: 'a', best: [] }], skipped: [], best: {}, slo: '', headroom: 0.2, simulations: 1 })).kind).toBe('compare');
    expect(parseResultFile('s.jsonl', [sweepRow({}), sweepRow({ rate: 10 })].map((r) => JSON.stringify(r)).join('\n')).kind).toBe('sweep');
    expect(parseResultFile('v.json', JSON.stringify({ schemaVersion: 1, rows: [], summary: [], coverage: { rows: 0, mapped: 0, unmappedReasons: {} } })).kind).toBe('validate');
  });
  it('names the file and what it found for an unknown file', () => {
    expect(() => parseResultFile('x.json', '{"hello": 1}')).toThrow(InputError);
    expect(() => parseResultFile('x.json', '{"hello": 1}')).toThrow(/x\.json: not a servesim result: found a JSON object with keys hello/);
    expect(() => parseResultFile('y.txt', 'just text')).toThrow(/y\.txt: .*found text starting "just text"/);
  });
  it('builds a report with a summary table first', () => {
    const doc = reportDocumentFromResults([
      { kind: 'simulate', file: 'dir/sim.json', runs: [simDoc(5, 100), simDoc(10, 300)] },
      { kind: 'plan', file: 'plan.json', result: plan() },
      { kind: 'sweep', file: 'sweep.jsonl', rows: [sweepRow({}), sweepRow({ rate: 10, sloMet: false })] },
    ]);
    expect(doc.sections[0]!.heading).toBe('Summary');
    expect(doc.sections[0]!.table!.rows).toHaveLength(3);
    expect(doc.sections[0]!.table!.rows[0]![0]).toBe('sim.json');
    expect(String(doc.sections[0]!.table!.rows[1]![3])).toMatch(/5 replica\(s\), 5 GPU\(s\)/);
    expect(String(doc.sections[0]!.table!.rows[2]![3])).toMatch(/up to 5 req\/s/);
    expect(doc.sections[1]!.charts.length).toBe(3); // latency vs rate, throughput vs rate, CDFs
  });
});
