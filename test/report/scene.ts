/**
 * Layout facts of a rendered chart, read from the vega scenegraph (the same view the SVG comes from):
 * the figure's width and height at 1×, and the absolute bounding boxes of every text item and data point,
 * so tests can assert "fits a page" and "no two labels overlap" without looking at pixels.
 */
import * as vega from 'vega';
import type { TopLevelSpec } from 'vega-lite';
import { compileChart, installDejaVuTextMetrics } from '../../src/report/render.ts';

export interface Box {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
  readonly text: string;
  /** 'text' for labels and titles, 'symbol' for data points */
  readonly kind: 'text' | 'symbol';
  /** role path of the item, e.g. "axis-label" or "mark" (legend/axis items vs data marks) */
  readonly role: string;
}

export interface SceneFacts {
  readonly width: number;
  readonly height: number;
  readonly boxes: readonly Box[];
}

interface SceneItem {
  x?: number;
  y?: number;
  text?: unknown;
  opacity?: number;
  fillOpacity?: number;
  bounds?: { x1: number; y1: number; x2: number; y2: number };
  items?: SceneItem[];
  marktype?: string;
  role?: string;
  mark?: { marktype?: string; role?: string };
}

export async function sceneFacts(spec: TopLevelSpec): Promise<SceneFacts> {
  installDejaVuTextMetrics();
  const view = new vega.View(vega.parse(compileChart(spec).vega), { renderer: 'none', logLevel: vega.Error });
  try {
    await view.runAsync();
    const boxes: Box[] = [];
    // a mark holds items; a group item holds marks, drawn relative to the group's (x, y)
    const walkMark = (mark: SceneItem, ox: number, oy: number): void => {
      const role = mark.role ?? '';
      for (const it of mark.items ?? []) {
        if (mark.marktype === 'group') {
          for (const child of it.items ?? []) walkMark(child, ox + (it.x ?? 0), oy + (it.y ?? 0));
          continue;
        }
        const b = it.bounds;
        if (!b || !(b.x2 > b.x1) || !(b.y2 > b.y1)) continue;
        if ((it.opacity ?? 1) === 0) continue;
        if (mark.marktype === 'text') {
          const text = Array.isArray(it.text) ? it.text.join(' ') : String(it.text ?? '');
          if (text.trim() === '') continue;
          boxes.push({ x0: ox + b.x1, y0: oy + b.y1, x1: ox + b.x2, y1: oy + b.y2, text, kind: 'text', role });
        } else if (mark.marktype === 'symbol' && role === 'mark') {
          boxes.push({ x0: ox + b.x1, y0: oy + b.y1, x1: ox + b.x2, y1: oy + b.y2, text: '', kind: 'symbol', role });
        }
      }
    };
    // vega's typings describe scenegraph() as the root mark; at runtime it is the Scenegraph holding it
    const sg: object = view.scenegraph();
    walkMark(('root' in sg ? sg.root : sg) as SceneItem, 0, 0);
    // the SVG's size: the view plus its padding (vega's toSVG uses the same origin and size)
    const svg = await view.toSVG();
    const m = /<svg[^>]*width="([\d.]+)"[^>]*height="([\d.]+)"/.exec(svg);
    return { width: Number(m?.[1]), height: Number(m?.[2]), boxes };
  } finally {
    view.finalize();
  }
}

/** Pairs of text boxes that overlap by more than `slackPx` in both directions. */
export function overlappingLabels(boxes: readonly Box[], slackPx = 0.5): Array<[string, string]> {
  const texts = boxes.filter((b) => b.kind === 'text');
  const out: Array<[string, string]> = [];
  for (let i = 0; i < texts.length; i++)
    for (let j = i + 1; j < texts.length; j++) {
      const a = texts[i]!;
      const b = texts[j]!;
      if (Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0) > slackPx && Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0) > slackPx) out.push([a.text, b.text]);
    }
  return out;
}

/** Data-mark text labels (not axis or legend text) that sit on a data point. */
export function labelsOnPoints(boxes: readonly Box[], slackPx = 0.5): Array<string> {
  const labels = boxes.filter((b) => b.kind === 'text' && b.role === 'mark');
  const points = boxes.filter((b) => b.kind === 'symbol');
  const out: string[] = [];
  for (const a of labels)
    for (const b of points)
      if (Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0) > slackPx && Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0) > slackPx) out.push(a.text);
  return out;
}
