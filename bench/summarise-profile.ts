/**
 * Summarise a V8 .cpuprofile (from `node --cpu-prof`): self time aggregated by function (name + file:line),
 * top N by self time.
 *
 *   node dist/bench/summarise-profile.js CPU.….cpuprofile [--top 25] [--under simulate] [--callers NAME]
 *
 * --under F keeps only samples with a frame named F on the stack (e.g. drop start-up and YAML parsing);
 * --callers NAME also lists, for a function, the self time split by its direct caller.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly children?: readonly number[];
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith('--'));
if (!file) {
  console.error('usage: summarise-profile <file.cpuprofile> [--top N]');
  process.exit(2);
}
const topIdx = args.indexOf('--top');
const top = topIdx >= 0 ? Number(args[topIdx + 1]) : 25;
const prof = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;

const underIdx = args.indexOf('--under');
const under = underIdx >= 0 ? args[underIdx + 1] : undefined;
const callersIdx = args.indexOf('--callers');
const callersOf = callersIdx >= 0 ? args[callersIdx + 1] : undefined;
const byId = new Map<number, ProfileNode>();
const parent = new Map<number, number>();
for (const n of prof.nodes) {
  byId.set(n.id, n);
  for (const c of n.children ?? []) parent.set(c, n.id);
}
const inside = (id: number): boolean => {
  if (under === undefined) return true;
  for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) if (byId.get(cur)!.callFrame.functionName === under) return true;
  return false;
};
const label = (n: ProfileNode): string => {
  const f = n.callFrame;
  const short = f.url.replace(/^.*\/dist\//, '').replace(/^file:\/\//, '');
  return `${f.functionName || '(anonymous)'}  ${short}${f.url ? `:${f.lineNumber + 1}` : ''}`;
};
const selfUs = new Map<number, number>();
for (let i = 0; i < prof.samples.length; i++) {
  const id = prof.samples[i]!;
  selfUs.set(id, (selfUs.get(id) ?? 0) + (prof.timeDeltas[i] ?? 0));
}
const agg = new Map<string, number>();
let total = 0;
const callers = new Map<string, number>();
for (const [id, us] of selfUs) {
  if (!inside(id)) continue;
  const n = byId.get(id)!;
  const key = label(n);
  agg.set(key, (agg.get(key) ?? 0) + us);
  total += us;
  if (callersOf !== undefined && n.callFrame.functionName === callersOf) {
    const p = parent.get(id);
    const ck = p === undefined ? '(root)' : label(byId.get(p)!);
    callers.set(ck, (callers.get(ck) ?? 0) + us);
  }
}
const rows = [...agg.entries()].sort((a, b) => b[1] - a[1]).slice(0, top);
console.log(`total sampled ${(total / 1e3).toFixed(0)} ms${under ? ` under ${under}()` : ''} (${prof.samples.length} samples in the file)`);
console.log('self ms    self %  function  location');
for (const [k, us] of rows) console.log(`${(us / 1e3).toFixed(1).padStart(8)}  ${((100 * us) / total).toFixed(1).padStart(6)}%  ${k}`);
if (callersOf !== undefined) {
  console.log(`\ncallers of ${callersOf}:`);
  for (const [k, us] of [...callers.entries()].sort((a, b) => b[1] - a[1])) console.log(`${(us / 1e3).toFixed(1).padStart(8)} ms  ${k}`);
}
