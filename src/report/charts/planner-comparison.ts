/**
 * Planner comparison: for each candidate deployment sized to the target load, the replicas needed and the
 * cost per million output tokens, side by side on a shared candidate axis. Candidates that miss the latency
 * SLO are grey; the winners of each criterion are starred in the right-hand column.
 */
import type { TopLevelSpec } from 'vega-lite';
import { WINNER_LABELS, type CandidateRow } from '../chart-data.ts';
import { fmtNum, fmtUsd, INK, subtitleLines, textWidth, titleBlock, topLevel, type ChartTextOptions } from './theme.ts';

export interface PlannerComparisonOptions extends ChartTextOptions {
  /** 'cost': SLO-meeting candidates first, each group by $/Mtok ascending (default); 'input': as given. */
  readonly sort?: 'cost' | 'input' | undefined;
  /** Words for the target load in the subtitle, e.g. "40 req/s, chat workload". */
  readonly targetDescription?: string | undefined;
}

export const SLO_STATUS = ['meets SLO', 'misses SLO'] as const;
const SLO_COLORS = ['#0072B2', '#BBBBBB'];

function textPx(s: string): number {
  return textWidth(s, 10.5);
}

/** x-domain maximum that leaves room for each row's label right of its bar. */
export function domainWithRoom(values: readonly number[], labels: readonly string[], widthPx: number): number {
  // rows without a value (an unpriced candidate's cost is NaN) draw no bar and must not reset the axis
  const finite = values.map((v) => (Number.isFinite(v) ? v : 0));
  let dmax = Math.max(0, ...finite);
  finite.forEach((v, i) => {
    const room = widthPx - 8 - textPx(labels[i] ?? '');
    if (room > 20) dmax = Math.max(dmax, (v * widthPx) / room);
  });
  return dmax > 0 ? Number(dmax.toPrecision(6)) : 1;
}

/** A candidate with a cost to draw; unpriced ones are ranked apart (after the priced, by GPUs) and say why. */
const priced = (c: CandidateRow): boolean => Number.isFinite(c.usdPerMillionOutputTokens) && Number.isFinite(c.usdPerHour);

export function plannerComparisonSpec(candidates: readonly CandidateRow[], options: PlannerComparisonOptions = {}): TopLevelSpec {
  const width = options.width ?? 230;
  const rowHeight = 30;
  const height = options.height ?? Math.max(60, rowHeight * candidates.length);
  const ordered =
    (options.sort ?? 'cost') === 'input'
      ? [...candidates]
      : [...candidates].sort(
          (a, b) =>
            Number(b.meetsSlo) - Number(a.meetsSlo) ||
            Number(priced(b)) - Number(priced(a)) ||
            (priced(a) ? a.usdPerMillionOutputTokens - b.usdPerMillionOutputTokens : a.gpus - b.gpus),
        );
  const rows = ordered.map((c) => ({
    label: c.label,
    replicas: c.replicas,
    gpus: c.gpus,
    usdPerHour: c.usdPerHour,
    usdPerMillionOutputTokens: c.usdPerMillionOutputTokens,
    ttftP99Ms: c.ttftP99Ms,
    itlP99Ms: c.itlP99Ms,
    slo: c.meetsSlo ? SLO_STATUS[0] : SLO_STATUS[1],
    replicasText: `${fmtNum(c.replicas)} (${fmtNum(c.gpus)} GPU${c.gpus === 1 ? '' : 's'})`,
    costText: priced(c) ? `${fmtUsd(c.usdPerMillionOutputTokens)} · ${fmtUsd(c.usdPerHour)}/h` : (c.priceNote ?? 'no price').replace('USD_PER_GPU_HOUR', '…'),
    replicasAt: c.replicas,
    usdPerMillionOutputTokensAt: priced(c) ? c.usdPerMillionOutputTokens : 0,
    winsText: c.winners.length > 0 ? `★ ${c.winners.map((w) => WINNER_LABELS[w]).join(', ')}` : '',
  }));
  const labels = rows.map((r) => r.label);
  const costWinner = ordered.find((c) => c.winners.includes('usdPerMillionOutputTokens'))?.label;

  const y = {
    field: 'label',
    type: 'nominal',
    title: null,
    sort: labels,
    scale: { type: 'band', paddingInner: 0.3, paddingOuter: 0.15 },
  };
  const color = {
    field: 'slo',
    type: 'nominal',
    title: 'Latency SLO at target load',
    scale: { domain: [...SLO_STATUS], range: SLO_COLORS },
  };
  const tooltip = [
    { field: 'label', type: 'nominal', title: 'Candidate' },
    { field: 'replicas', type: 'quantitative', title: 'Replicas' },
    { field: 'gpus', type: 'quantitative', title: 'GPUs' },
    { field: 'usdPerHour', type: 'quantitative', title: 'Fleet cost ($/h)', format: ',.2f' },
    { field: 'usdPerMillionOutputTokens', type: 'quantitative', title: '$ per million output tokens', format: ',.3f' },
    { field: 'ttftP99Ms', type: 'quantitative', title: 'TTFT p99 (ms)', format: ',.0f' },
    { field: 'itlP99Ms', type: 'quantitative', title: 'ITL p99 (ms)', format: ',.1f' },
    { field: 'slo', type: 'nominal', title: 'Latency SLO' },
  ];

  const barPanel = (
    title: string,
    field: string,
    textField: string,
    axisTitle: string,
    format: string,
    showLabels: boolean,
    texts: readonly string[],
  ): Record<string, unknown> => {
    const values = rows.map((r) => (r as unknown as Record<string, number>)[field] as number);
    const x = {
      field,
      type: 'quantitative',
      title: axisTitle,
      scale: { domain: [0, domainWithRoom(values, texts, width)], nice: false },
      axis: { format, tickCount: 4 },
    };
    return {
      title: { text: title, fontSize: 13 },
      width,
      height,
      encoding: {
        y: showLabels
          ? {
              ...y,
              axis: {
                labelFontSize: 11.5,
                labelFontWeight:
                  costWinner === undefined
                    ? 'normal'
                    : { condition: { test: `datum.value === ${JSON.stringify(costWinner)}`, value: 'bold' }, value: 'normal' },
                labelColor: INK,
                ticks: false,
                domain: false,
                labelPadding: 6,
              },
            }
          : { ...y, axis: null },
      },
      layer: [
        { mark: { type: 'bar', cornerRadiusEnd: 2 }, encoding: { x, color, tooltip } },
        {
          mark: { type: 'text', align: 'left', baseline: 'middle', dx: 4, color: INK },
          // an unpriced row has no bar: its note starts at 0 instead of at a NaN position vega would drop
          encoding: { x: { ...x, field: `${field}At` }, text: { field: textField, type: 'nominal' } },
        },
      ],
    };
  };

  const winners = {
    title: { text: 'Best on', fontSize: 13 },
    width: Math.max(120, ...rows.map((r) => Math.ceil(textWidth(r.winsText, 10.5, true)) + 8)),
    height,
    mark: { type: 'text', align: 'left', baseline: 'middle', color: INK, fontWeight: 'bold' },
    encoding: {
      y: { ...y, axis: null },
      x: { value: 0 },
      text: { field: 'winsText', type: 'nominal' },
    },
  };

  const extra: string[] = [];
  if (options.targetDescription !== undefined) extra.push(`Each candidate sized for ${options.targetDescription}.`);
  extra.push('Bar labels: replicas (total GPUs); cost per million output tokens · fleet cost per hour.');
  const unpriced = ordered.filter((c) => !priced(c));
  if (unpriced.length > 0) extra.push(`No price for ${unpriced.length} candidate${unpriced.length === 1 ? '' : 's'}: listed after the priced ones, not ranked by cost.`);
  return topLevel(titleBlock(options.title ?? 'Deployment candidates: size and cost', subtitleLines(options, extra)), {
    data: { values: rows },
    hconcat: [
      barPanel('Replicas needed', 'replicas', 'replicasText', 'Replicas', 'd', true, rows.map((r) => r.replicasText)),
      barPanel(
        'Cost per million output tokens',
        'usdPerMillionOutputTokens',
        'costText',
        'Cost (US$ per million output tokens)',
        '$.2f',
        false,
        rows.map((r) => r.costText),
      ),
      winners,
    ],
    resolve: { scale: { x: 'independent' } },
  });
}
