/**
 * The hostile-input corpus (issue 13): broken scenario files, output paths that cannot be written, absurd
 * values, impossible profiles, library misuse. Each case states the expected exit code and a message that
 * names the file or field. Every new bug of this kind adds a row here.
 *
 * The cases use only node:fs and a library handle passed in, so the census script (census.ts) can run
 * them against any built tree, including the commit before the fixes, to count what changed.
 */
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as Lib from '../../src/index.ts';

export type Section = 'internal error' | 'lost data' | 'wrong or silent output';

export interface CliCase {
  readonly name: string;
  readonly section: Section;
  readonly args: (d: string) => string[];
  readonly env?: Readonly<Record<string, string>>;
  /** prepare per-case files (runs before the case) */
  readonly setup?: (d: string) => void;
  readonly exit: 0 | 1 | 2;
  /** on stderr for exit 1/2, on stdout for exit 0 */
  readonly message: RegExp;
  /** after the run: a problem with the files (lost data), or undefined */
  readonly after?: (d: string) => string | undefined;
}

export interface LibCase {
  readonly name: string;
  readonly section: Section;
  readonly call: (lib: typeof Lib, prepared: Lib.PreparedDeployment) => unknown;
  readonly error: 'InputError' | 'InfeasibleError';
  readonly message: RegExp;
}

const MODEL = ['--model', 'llama-3.1-8b', '--hardware', 'h200-sxm'];
const SIM = ['simulate', ...MODEL, '--max-requests', '30', '--rate', '5'];
const KEEP = 'user data: do not lose me\n';

const unchanged = (file: string) => (d: string) => (readFileSync(join(d, file), 'utf8') === KEEP ? undefined : `${file} was changed or emptied`);
const keep = (file: string) => (d: string) => writeFileSync(join(d, file), KEEP);
const scenario = (text: string | Buffer) => (d: string) => writeFileSync(join(d, 's.yaml'), text);

/** Shared fixtures: profile folders with one broken profile each, measurement files, a trace... */
export function makeFixtures(d: string, root: string): void {
  const model = readFileSync(join(root, 'models', 'llama-3.1-8b.yaml'), 'utf8');
  const moe = readFileSync(join(root, 'models', 'mixtral-8x7b.yaml'), 'utf8');
  const gptoss = readFileSync(join(root, 'models', 'gpt-oss-20b.yaml'), 'utf8');
  const hw = readFileSync(join(root, 'hardware-profiles', 'h200-sxm.yaml'), 'utf8');
  const profileDir = (name: string, file: string, text: string) => {
    mkdirSync(join(d, name, 'models'), { recursive: true });
    mkdirSync(join(d, name, 'hardware-profiles'), { recursive: true });
    writeFileSync(join(d, name, file), text);
  };
  const sub = (text: string, from: RegExp, to: string) => {
    if (!from.test(text)) throw new Error(`fixture: ${String(from)} not found`);
    return text.replace(from, to);
  };
  profileDir('ctx16', 'models/tiny-ctx.yaml', sub(sub(model, /^id: .*$/m, 'id: tiny-ctx'), /^max_position_embeddings: .*$/m, 'max_position_embeddings: 16'));
  profileDir('kv-over', 'models/kv-over.yaml', sub(sub(model, /^id: .*$/m, 'id: kv-over'), /num_kv_heads: 8/, 'num_kv_heads: 64'));
  profileDir('kv-odd', 'models/kv-odd.yaml', sub(sub(model, /^id: .*$/m, 'id: kv-odd'), /num_kv_heads: 8/, 'num_kv_heads: 5'));
  profileDir('topk', 'models/topk.yaml', sub(sub(moe, /^id: .*$/m, 'id: topk'), /experts_per_token: 2/, 'experts_per_token: 9'));
  profileDir('dense', 'models/dense.yaml', sub(sub(moe, /^id: .*$/m, 'id: dense'), /experts_per_token: 2(.*)$/m, 'experts_per_token: 2$1\n  dense_layers: 40'));
  profileDir('swa', 'models/swa.yaml', sub(sub(gptoss, /^id: .*$/m, 'id: swa'), /layers: 12 # layer_types/, 'layers: 99 # layer_types'));
  profileDir('huge-cap', 'hardware-profiles/huge.yaml', sub(sub(hw, /^id: .*$/m, 'id: huge'), /capacity: 141/, 'capacity: 1e300'));
  profileDir('tiny-bw', 'hardware-profiles/slow.yaml', sub(sub(hw, /^id: .*$/m, 'id: slow'), /bandwidth_tb_per_s: 4.8/, 'bandwidth_tb_per_s: 1e-300'));
  profileDir('big', 'models/big.yaml', `${model}\n${'# padding\n'.repeat(250_000)}`);
  profileDir('many-errors', 'models/many.yaml', `${model}${Array.from({ length: 150 }, (_, i) => `unknown_key_${i}: 1`).join('\n')}\n`);
  profileDir('bomb', 'models/bomb.yaml', ['a: &a [x, x, x, x, x, x, x, x, x]', ...'bcdefgh'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdefgh'[i]}`).join(', ')}]`)].join('\n') + '\n');
  writeFileSync(join(d, 'profiles-file.yaml'), model);
  writeFileSync(join(d, 'zero-rows.csv'), 'timestamp,input_tokens,output_tokens\n0,0,0\n0.5,0,4\n1,12,0\n');
  writeFileSync(join(d, 'zero-curve.csv'), 'time_s,rate\n0,0\n10,0\n');
  writeFileSync(join(d, 'trace.csv'), 'timestamp,input_tokens,output_tokens\n0,100,10\n0.5,100,10\n');
  const csv = readFileSync(join(root, 'test', 'fixtures', 'importers', 'measurements.excerpt.csv'), 'utf8').split('\n');
  writeFileSync(join(d, 'neg.csv'), [csv[0], csv[9]!.replace(',401.874,ms,', ',-401.874,ms,'), csv[10]!.replace(',411.053,ms,', ',0,ms,')].join('\n') + '\n');
  const mixtral = JSON.parse(readFileSync(join(root, 'test', 'fixtures', 'hf-configs', 'mixtral-8x7b.json'), 'utf8')) as Record<string, unknown>;
  writeFileSync(join(d, 'topk-config.json'), JSON.stringify({ ...mixtral, num_experts_per_tok: 12 }));
  writeFileSync(join(d, 'llama-config.json'), readFileSync(join(root, 'test', 'fixtures', 'hf-configs', 'llama-3.1-8b.json')));
  mkdirSync(join(d, 'parts'), { recursive: true });
  writeFileSync(join(d, 'parts', 'part-0.jsonl'), '');
  mkdirSync(join(d, 'readonly'), { recursive: true });
  chmodSync(join(d, 'readonly'), 0o555);
  cpSync(join(d, 'trace.csv'), join(d, 'copy.csv'));
}

export const CLI_CASES: readonly CliCase[] = [
  // ── Internal errors: scenario files ─────────────────────────────────────────────────────────────
  { name: 'scenario file missing', section: 'internal error', args: (d) => [...SIM, '--scenario', join(d, 'nope.yaml')], exit: 2, message: /nope\.yaml: cannot read scenario file: no such file/ },
  { name: 'scenario file empty', section: 'internal error', setup: scenario('# nothing\n'), args: (d) => [...SIM, '--scenario', join(d, 's.yaml')], exit: 2, message: /s\.yaml: the scenario file is empty/ },
  { name: 'scenario file is a list', section: 'internal error', setup: scenario('- rate: 5\n'), args: (d) => [...SIM, '--scenario', join(d, 's.yaml')], exit: 2, message: /s\.yaml:1:1 .*expected a mapping/ },
  { name: 'scenario YAML syntax error', section: 'internal error', setup: scenario('rate: [5\nseed: 1\n'), args: (d) => [...SIM, '--scenario', join(d, 's.yaml')], exit: 2, message: /s\.yaml:\d+:\d+ +YAML syntax error/ },
  { name: 'scenario duplicate key', section: 'internal error', setup: scenario('seed: 1\nseed: 2\n'), args: (d) => [...SIM, '--scenario', join(d, 's.yaml')], exit: 2, message: /s\.yaml:2:1 +YAML syntax error: Map keys must be unique/ },
  { name: 'scenario file is binary', section: 'internal error', setup: scenario(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 0xff])), args: (d) => [...SIM, '--scenario', join(d, 's.yaml')], exit: 2, message: /s\.yaml: scenario file is not a text file/ },
  { name: 'scenario file is a folder', section: 'internal error', args: (d) => [...SIM, '--scenario', d], exit: 2, message: /cannot read scenario file: is a folder/ },
  { name: 'scenario rate: {value: 5}', section: 'internal error', setup: scenario('rate: {value: 5}\n'), args: (d) => [...SIM, '--scenario', join(d, 's.yaml')], exit: 2, message: /s\.yaml:1:7 +rate: expected a number, a string, true\/false or a list/ },
  { name: 'scenario unknown key (did-you-mean)', section: 'internal error', setup: scenario('max_reqests: 20\n'), args: (d) => [...SIM, '--scenario', join(d, 's.yaml')], exit: 2, message: /s\.yaml \(scenario file\): key "max-reqests".*did you mean "max-requests"/ },
  { name: 'scenario values apply (control)', section: 'internal error', setup: scenario('max_requests: 7\nseed: 3\n'), args: (d) => ['simulate', ...MODEL, '--rate', '5', '--json', '--scenario', join(d, 's.yaml')], exit: 0, message: /"issued": 7/ },
  // ── Internal errors: output paths ───────────────────────────────────────────────────────────────
  { name: '--requests-csv in a missing folder', section: 'internal error', args: (d) => [...SIM, '--requests-csv', join(d, 'no', 'r.csv')], exit: 2, message: /--requests-csv .*r\.csv: cannot write: the folder .*no does not exist/ },
  { name: '--requests-csv is a folder', section: 'internal error', args: (d) => [...SIM, '--requests-csv', d], exit: 2, message: /--requests-csv .*: cannot write: is a folder/ },
  { name: '--requests-csv would replace a file', section: 'internal error', setup: keep('keep.csv'), args: (d) => [...SIM, '--requests-csv', join(d, 'keep.csv')], exit: 2, message: /keep\.csv: the file already exists; pass --force/, after: unchanged('keep.csv') },
  { name: '--out-guidellm in a missing folder', section: 'internal error', args: (d) => [...SIM, '--out-guidellm', join(d, 'no', 'b.json')], exit: 2, message: /--out-guidellm .*b\.json: cannot write: the folder/ },
  { name: '--out-guidellm is a folder', section: 'internal error', args: (d) => [...SIM, '--out-guidellm', d], exit: 2, message: /--out-guidellm .*: cannot write: is a folder/ },
  { name: '--chart in a missing folder', section: 'internal error', args: (d) => [...SIM, '--chart', join(d, 'no', 'c.svg')], exit: 2, message: /--chart .*c\.svg: cannot write: the folder/ },
  { name: '--chart would replace a file', section: 'internal error', setup: keep('keep.svg'), args: (d) => [...SIM, '--chart', join(d, 'keep.svg')], exit: 2, message: /keep\.svg: the file already exists/, after: unchanged('keep.svg') },
  { name: '--chart whose second file exists writes none of the set', section: 'internal error', setup: (d) => { keep('set-timeline.svg')(d); rmSync(join(d, 'set.svg'), { force: true }); }, args: (d) => [...SIM, '--chart', join(d, 'set.svg')], exit: 2, message: /set-timeline\.svg: the file already exists/, after: (d) => unchanged('set-timeline.svg')(d) ?? (existsSync(join(d, 'set.svg')) ? 'set.svg was written although the set failed' : undefined) },
  { name: 'sweep --out in a missing folder', section: 'internal error', args: (d) => ['sweep', ...MODEL, '--rate', '5', '--max-requests', '10', '--workers', '1', '--out', join(d, 'no', 's.jsonl')], exit: 2, message: /--out .*s\.jsonl: cannot write: the folder/ },
  { name: 'sweep --out is a folder', section: 'internal error', args: (d) => ['sweep', ...MODEL, '--rate', '5', '--max-requests', '10', '--workers', '1', '--out', d], exit: 2, message: /--out .*: cannot write: is a folder/ },
  { name: 'calibrate --out in a missing folder', section: 'internal error', args: (d) => ['calibrate', '--measurements', join(d, 'neg.csv'), '--out', join(d, 'no', 'c.yaml')], exit: 2, message: /--out .*c\.yaml: cannot write: the folder/ },
  { name: 'models import --out in a missing folder', section: 'internal error', args: (d) => ['models', 'import', join(d, 'llama-config.json'), '--id', 'x', '--out', join(d, 'no', 'x.yaml')], exit: 2, message: /--out .*x\.yaml: cannot write: the folder/ },
  { name: 'models import --out would replace a file', section: 'internal error', setup: keep('keep.yaml'), args: (d) => ['models', 'import', join(d, 'llama-config.json'), '--id', 'x', '--out', join(d, 'keep.yaml')], exit: 2, message: /keep\.yaml: the file already exists/, after: unchanged('keep.yaml') },
  { name: 'merge --out in a missing folder', section: 'internal error', args: (d) => ['merge', join(d, 'parts', 'part-0.jsonl'), '--out', join(d, 'no', 'm.jsonl')], exit: 2, message: /--out .*m\.jsonl: cannot write: the folder/ },
  { name: 'merge given a folder', section: 'internal error', args: (d) => ['merge', join(d, 'parts')], exit: 2, message: /merge: .*parts is a folder/ },
  { name: 'report --out is a file', section: 'internal error', setup: keep('keep.txt'), args: (d) => ['report', join(d, 'parts', 'part-0.jsonl'), '--out', join(d, 'keep.txt')], exit: 2, message: /--out .*keep\.txt: is a file/, after: unchanged('keep.txt') },
  // ── Internal errors: values, profiles folders, environment ─────────────────────────────────────
  { name: '--replicas 0', section: 'internal error', args: () => [...SIM, '--replicas', '0'], exit: 2, message: /--replicas: expected a whole number >= 1, found 0/ },
  { name: 'YAML alias bomb in a profiles folder', section: 'internal error', args: (d) => [...SIM, '--profiles', join(d, 'bomb')], exit: 2, message: /bomb\.yaml .*(alias|resource exhaustion)/i },
  { name: 'SERVESIM_DEBUG=1 is not an option', section: 'internal error', env: { SERVESIM_DEBUG: '1' }, args: () => SIM, exit: 0, message: /poisson 5\.00\/s/ },
  { name: 'SERVESIM_SHARED_DIR is not an option', section: 'internal error', env: { SERVESIM_SHARED_DIR: '/tmp' }, args: () => SIM, exit: 0, message: /poisson 5\.00\/s/ },
  { name: 'SERVESIM_MAX_REQUESTS still sets --max-requests', section: 'internal error', env: { SERVESIM_MAX_REQUESTS: '9' }, args: () => ['simulate', ...MODEL, '--rate', '5', '--json'], exit: 0, message: /"issued": 9/ },
  { name: 'SERVESIM_ typo names the variable', section: 'internal error', env: { SERVESIM_MAX_REQESTS: '9' }, args: () => SIM, exit: 2, message: /SERVESIM_MAX_REQESTS.*did you mean "max-requests"/ },
  { name: 'a one-value flag repeated (found by the fuzz test)', section: 'internal error', args: () => [...SIM, '--slo', ',,,', '--slo', 'ttft:p99<=1s'], exit: 2, message: /--slo takes one value, found 2/ },
  { name: 'a list in a scenario file for a one-value option', section: 'internal error', setup: scenario('seed: [1, 2]\n'), args: (d) => [...SIM, '--scenario', join(d, 's.yaml')], exit: 2, message: /--seed takes one value, found 2: 1, 2 \(from .*s\.yaml \(scenario file\)/ },
  { name: 'scenario rate: true (found by the fuzz test)', section: 'internal error', setup: scenario('rate: true\n'), args: (d) => ['simulate', ...MODEL, '--max-requests', '5', '--scenario', join(d, 's.yaml')], exit: 2, message: /s\.yaml \(scenario file\): key "rate": --rate expects a number, found true/ },
  { name: 'SERVESIM_JSON=yes', section: 'internal error', env: { SERVESIM_JSON: 'yes' }, args: () => SIM, exit: 2, message: /environment variable SERVESIM_JSON: --json expects true or false, found "yes"/ },
  // ── Lost data ───────────────────────────────────────────────────────────────────────────────────
  { name: 'sweep --out existing file without --resume', section: 'lost data', setup: keep('existing.jsonl'), args: (d) => ['sweep', ...MODEL, '--rate', '5', '--max-requests', '10', '--workers', '1', '--out', join(d, 'existing.jsonl')], exit: 2, message: /existing\.jsonl: the file already exists; add --resume .* or --force/, after: unchanged('existing.jsonl') },
  // ── Wrong or silent output: nothing can be served ───────────────────────────────────────────────
  { name: 'every prompt longer than the context', section: 'wrong or silent output', args: () => [...SIM, '--data', 'prompt_tokens=200000,output_tokens=10'], exit: 1, message: /all 30 requests were rejected \(30 longer than max_model_len/ },
  { name: 'trace of 0-token rows', section: 'wrong or silent output', args: (d) => ['simulate', ...MODEL, '--trace', join(d, 'zero-rows.csv')], exit: 1, message: /all 3 requests were rejected \(3 request with no input or output tokens\)/ },
  { name: 'rate curve of zeros', section: 'wrong or silent output', args: (d) => ['simulate', ...MODEL, '--rate-curve', join(d, 'zero-curve.csv'), '--max-seconds', '30'], exit: 1, message: /no request was issued/ },
  { name: 'model with a 16-token context', section: 'wrong or silent output', args: (d) => ['simulate', '--model', 'tiny-ctx', '--hardware', 'h200-sxm', '--profiles', join(d, 'ctx16'), '--rate', '5', '--max-requests', '30'], exit: 1, message: /all 30 requests were rejected.*max_model_len \(16\)/ },
  { name: 'some prompts longer than the context: counted in the table', section: 'wrong or silent output', args: () => [...SIM, '--data', 'prompt_tokens=100000,prompt_tokens_stdev=40000,output_tokens=10'], exit: 0, message: /rejected[\s\S]*\d+ of 30[\s\S]*\d+ of 30 requests rejected: \d+ longer than max_model_len/ },
  { name: 'some prompts longer than the context: counted in the JSON', section: 'wrong or silent output', args: () => [...SIM, '--json', '--data', 'prompt_tokens=100000,prompt_tokens_stdev=40000,output_tokens=10'], exit: 0, message: /"rejected": [1-9][\s\S]*"longer than max_model_len \(131072\)": [1-9]/ },
  { name: 'sweep: a point where every request is rejected is an infeasible row', section: 'wrong or silent output', args: () => ['sweep', ...MODEL, '--rate', '5', '--data', 'prompt_tokens=300000,output_tokens=1', '--max-requests', '10', '--workers', '1', '--json'], exit: 0, message: /"status": "infeasible",\s*"reason": "nothing can be served: all 10 requests were rejected/ },
  { name: '--max-model-len 0', section: 'wrong or silent output', args: () => [...SIM, '--max-model-len', '0'], exit: 2, message: /--max-model-len: expected >= 1, found 0/ },
  { name: '--time-scale NaN', section: 'wrong or silent output', args: (d) => ['simulate', ...MODEL, '--trace', join(d, 'trace.csv'), '--time-scale', 'NaN'], exit: 2, message: /--time-scale: expected number, found NaN/ },
  { name: 'rate curve going back in time', section: 'wrong or silent output', setup: (d) => writeFileSync(join(d, 'back-curve.csv'), 'time_s,rate\n5,1\n1,5\n'), args: (d) => ['simulate', ...MODEL, '--rate-curve', join(d, 'back-curve.csv'), '--max-seconds', '5'], exit: 2, message: /back-curve\.csv:3: rate-curve times must not decrease \(1 after 5\)/ },
  { name: 'lengths file with a header and no rows', section: 'wrong or silent output', setup: (d) => writeFileSync(join(d, 'header-only.csv'), 'input_tokens,output_tokens\n'), args: (d) => [...SIM, '--lengths-file', join(d, 'header-only.csv')], exit: 2, message: /header-only\.csv: a header \(input_tokens, output_tokens\) but no data rows/ },
  { name: '--data ""', section: 'wrong or silent output', args: () => [...SIM, '--data', ''], exit: 2, message: /--data is empty/ },
  { name: '--seed ""', section: 'wrong or silent output', args: () => [...SIM, '--seed', ''], exit: 2, message: /--seed: is empty/ },
  // ── Wrong or silent output: non-finite results ──────────────────────────────────────────────────
  { name: '--max-num-seqs 0', section: 'wrong or silent output', args: () => [...SIM, '--max-num-seqs', '0'], exit: 2, message: /--max-num-seqs: expected >= 1, found 0/ },
  { name: '--block-size 0', section: 'wrong or silent output', args: () => [...SIM, '--block-size', '0'], exit: 2, message: /--block-size: expected >= 1, found 0/ },
  { name: 'hardware capacity 1e300', section: 'wrong or silent output', args: (d) => ['simulate', '--model', 'llama-3.1-8b', '--hardware', 'huge', '--profiles', join(d, 'huge-cap'), '--rate', '5', '--max-requests', '30'], exit: 2, message: /huge\.yaml:\d+:\d+ +memory\.capacity: expected <= 100000, found 1e\+300/ },
  { name: 'hardware bandwidth 1e-300', section: 'wrong or silent output', args: (d) => ['simulate', '--model', 'llama-3.1-8b', '--hardware', 'slow', '--profiles', join(d, 'tiny-bw'), '--rate', '5', '--max-requests', '30'], exit: 2, message: /slow\.yaml:\d+:\d+ +memory\.bandwidth_tb_per_s: expected >= 0\.001/ },
  { name: '--slo ttft:p99<=1e400ms', section: 'wrong or silent output', args: () => [...SIM, '--slo', 'ttft:p99<=1e400ms'], exit: 2, message: /--slo: threshold for ttft must be a positive finite number, found "1e400"/ },
  // ── Wrong or silent output: invalid profiles ────────────────────────────────────────────────────
  { name: 'KV heads above attention heads', section: 'wrong or silent output', args: (d) => ['simulate', '--model', 'kv-over', '--hardware', 'h200-sxm', '--profiles', join(d, 'kv-over'), '--rate', '5'], exit: 2, message: /kv-over\.yaml:\d+:\d+ +attention\.num_kv_heads: expected at most num_heads \(32\), found 64/ },
  { name: 'KV heads not dividing the heads', section: 'wrong or silent output', args: (d) => ['simulate', '--model', 'kv-odd', '--hardware', 'h200-sxm', '--profiles', join(d, 'kv-odd'), '--rate', '5'], exit: 2, message: /kv-odd\.yaml:\d+:\d+ +attention\.num_kv_heads: expected a divisor of num_heads \(32\)/ },
  { name: 'MoE top-k above the experts', section: 'wrong or silent output', args: (d) => ['simulate', '--model', 'topk', '--hardware', 'h200-sxm', '--profiles', join(d, 'topk'), '--rate', '5'], exit: 2, message: /topk\.yaml:\d+:\d+ +moe\.experts_per_token: expected at most num_experts \(8\), found 9/ },
  { name: 'MoE top-k above the experts from models import', section: 'wrong or silent output', args: (d) => ['models', 'import', join(d, 'topk-config.json'), '--id', 'x'], exit: 2, message: /experts_per_token: expected at most num_experts \(8\), found 12/ },
  { name: 'dense layers above the layers', section: 'wrong or silent output', args: (d) => ['simulate', '--model', 'dense', '--hardware', 'h200-sxm', '--profiles', join(d, 'dense'), '--rate', '5'], exit: 2, message: /dense\.yaml:\d+:\d+ +moe\.dense_layers: expected at most layers \(32\), found 40/ },
  { name: 'sliding-window layers above the layers', section: 'wrong or silent output', args: (d) => ['simulate', '--model', 'swa', '--hardware', 'h200-sxm', '--profiles', join(d, 'swa'), '--rate', '5'], exit: 2, message: /swa\.yaml:\d+:\d+ +attention\.sliding_window\.layers: expected at most layers \(24\), found 99/ },
  { name: 'a 2.5 MB profile', section: 'wrong or silent output', args: (d) => [...SIM, '--profiles', join(d, 'big')], exit: 2, message: /big\.yaml: model profile is \d+ bytes, above the 1048576-byte limit/ },
  { name: 'a profile with 150 problems lists the first 100', section: 'wrong or silent output', args: (d) => [...SIM, '--profiles', join(d, 'many-errors')], exit: 2, message: /unknown_key_0[\s\S]*unknown_key_99:[\s\S]*… and 50 more problems \(the first 100 are listed\)/ },
  // ── Wrong or silent output: invalid values ──────────────────────────────────────────────────────
  { name: '--replicas 2.5', section: 'wrong or silent output', args: () => [...SIM, '--replicas', '2.5'], exit: 2, message: /--replicas: expected a whole number >= 1, found 2\.5/ },
  { name: '--gpu-memory-utilization 1.5', section: 'wrong or silent output', args: () => [...SIM, '--gpu-memory-utilization', '1.5'], exit: 2, message: /--gpu-memory-utilization: expected <= 1, found 1\.5/ },
  { name: '--gpu-memory-utilization -0.5', section: 'wrong or silent output', args: () => [...SIM, '--gpu-memory-utilization', '-0.5'], exit: 2, message: /--gpu-memory-utilization: expected > 0, found -0\.5/ },
  { name: '--prefix-tokens -5', section: 'wrong or silent output', args: () => [...SIM, '--prefix-tokens', '-5'], exit: 2, message: /--prefix-tokens: expected >= 0, found -5/ },
  { name: '--time-scale -1', section: 'wrong or silent output', args: (d) => ['simulate', ...MODEL, '--trace', join(d, 'trace.csv'), '--time-scale', '-1'], exit: 2, message: /--time-scale: expected > 0, found -1/ },
  { name: '--sweep-size 0', section: 'wrong or silent output', args: () => ['simulate', ...MODEL, '--profile', 'sweep', '--sweep-size', '0'], exit: 2, message: /--sweep-size: expected a whole number >= 2 .*found 0/ },
  { name: '--slo ,,,', section: 'wrong or silent output', args: () => [...SIM, '--slo', ',,,'], exit: 2, message: /--slo: no objective in ",,,"/ },
  { name: 'plan --price h900=3', section: 'wrong or silent output', args: () => ['plan', ...MODEL, '--target-rate', '5', '--workload', 'chat', '--price', 'h900=3'], exit: 2, message: /unknown hardware "h900"/ },
  { name: 'compare candidate weights=fp7', section: 'wrong or silent output', args: () => ['compare', '--candidates', 'llama-3.1-8b@h200-sxm:weights=fp7', '--target-rate', '5'], exit: 2, message: /--weights: expected one of .*found "fp7"/ },
  { name: '--block-size -16', section: 'wrong or silent output', args: () => [...SIM, '--block-size', '-16'], exit: 2, message: /--block-size: expected >= 1, found -16/ },
  { name: '--block-size 1e9', section: 'wrong or silent output', args: () => [...SIM, '--block-size', '1e9'], exit: 2, message: /--block-size: expected <= 1024, found 1000000000/ },
  { name: '--profiles given a file', section: 'wrong or silent output', args: (d) => [...SIM, '--profiles', join(d, 'profiles-file.yaml')], exit: 2, message: /--profiles .*profiles-file\.yaml: is a file; --profiles names a folder/ },
  { name: 'explain --prefill 0', section: 'wrong or silent output', args: () => ['explain', ...MODEL, '--prefill', '0'], exit: 2, message: /--prefill: a chunk needs at least 1 token, found "0"/ },
  { name: 'explain --decode 1x0', section: 'wrong or silent output', args: () => ['explain', ...MODEL, '--decode', '1x0'], exit: 2, message: /--decode: batch and context must be at least 1, found "1x0"/ },
  // ── Wrong or silent output: measurements ────────────────────────────────────────────────────────
  { name: 'validate --tp 0', section: 'wrong or silent output', args: (d) => ['validate', '--measurements', join(d, 'neg.csv'), '--tp', '0'], exit: 2, message: /--tp must be a whole number >= 1, found 0/ },
  { name: 'calibrate --max-iterations -1', section: 'wrong or silent output', args: (d) => ['calibrate', '--measurements', join(d, 'neg.csv'), '--max-iterations', '-1'], exit: 2, message: /--max-iterations must be a whole number >= 1, found -1/ },
  { name: 'validate: negative and zero TTFT reported with the row', section: 'wrong or silent output', args: (d) => ['validate', '--measurements', join(d, 'neg.csv')], exit: 0, message: /neg\.csv:2: ttft mean = -0\.401874: a measured latency must be a positive number[\s\S]*neg\.csv:3: ttft median = 0/ },
  { name: 'calibrate: negative and zero TTFT reported with the row', section: 'wrong or silent output', args: (d) => ['calibrate', '--measurements', join(d, 'neg.csv')], exit: 2, message: /neg\.csv:2: ttft mean = -0\.401874: a measured latency must be a positive number/ },
];

const workload = { arrival: { kind: 'poisson' as const, ratePerS: 5 }, lengths: { kind: 'fixed' as const, inputTokens: 100, outputTokens: 10 }, maxRequests: 20 };

/** Library misuse: called with values a type checker would refuse (the library's callers may be JavaScript). */
export const LIB_CASES: readonly LibCase[] = [
  { name: 'simulate()', section: 'internal error', call: (lib) => Reflect.apply(lib.simulate, undefined, []), error: 'InputError', message: /simulate\(config\): expected a config object/ },
  { name: 'simulate({})', section: 'internal error', call: (lib) => Reflect.apply(lib.simulate, undefined, [{}]), error: 'InputError', message: /deployment: expected a prepared deployment[\s\S]*workload: expected a mapping/ },
  { name: 'missing workload', section: 'internal error', call: (lib, p) => Reflect.apply(lib.simulate, undefined, [{ deployment: p, seed: 1 }]), error: 'InputError', message: /workload: expected a mapping of key: value, found nothing/ },
  { name: 'replicas: 0', section: 'internal error', call: (lib, p) => lib.simulate({ deployment: p, workload, seed: 1, replicas: 0 }), error: 'InputError', message: /replicas: expected >= 1, found 0/ },
  { name: 'unknown policy', section: 'internal error', call: (lib, p) => Reflect.apply(lib.simulate, undefined, [{ deployment: p, workload, seed: 1, policy: 'lifo' }]), error: 'InputError', message: /policy: expected one of .*found "lifo"/ },
  { name: 'unknown router', section: 'internal error', call: (lib, p) => Reflect.apply(lib.simulate, undefined, [{ deployment: p, workload, seed: 1, router: 'random' }]), error: 'InputError', message: /router: expected one of .*found "random"/ },
  { name: 'unknown lengths kind', section: 'internal error', call: (lib, p) => Reflect.apply(lib.simulate, undefined, [{ deployment: p, workload: { ...workload, lengths: { kind: 'zipf' } }, seed: 1 }]), error: 'InputError', message: /workload\.lengths.*expected kind: fixed, synthetic/ },
  { name: 'deployment given as a string', section: 'internal error', call: (lib) => Reflect.apply(lib.simulate, undefined, [{ deployment: 'llama-3.1-8b@h200-sxm', workload, seed: 1 }]), error: 'InputError', message: /deployment: expected a prepared deployment/ },
  { name: "arrival kind 'bogus'", section: 'internal error', call: (lib, p) => Reflect.apply(lib.simulate, undefined, [{ deployment: p, workload: { ...workload, arrival: { kind: 'bogus' } }, seed: 1 }]), error: 'InputError', message: /workload\.arrival.*expected kind: synchronous, concurrent/ },
  { name: 'NaN input tokens', section: 'wrong or silent output', call: (lib, p) => lib.simulate({ deployment: p, workload: { ...workload, lengths: { kind: 'fixed', inputTokens: NaN, outputTokens: 10 } }, seed: 1 }), error: 'InputError', message: /workload\.lengths\.inputTokens: expected number, found NaN/ },
  { name: 'empty empirical distribution', section: 'wrong or silent output', call: (lib, p) => lib.simulate({ deployment: p, workload: { ...workload, lengths: { kind: 'empirical', inputTokens: [], outputTokens: [] } }, seed: 1 }), error: 'InputError', message: /workload\.lengths\.inputTokens: expected >= 1/ },
  { name: 'nonsense SLO', section: 'wrong or silent output', call: (lib, p) => Reflect.apply(lib.simulate, undefined, [{ deployment: p, workload, seed: 1, slo: [{ metric: 'vibes', percentile: 7, thresholdS: -1 }] }]), error: 'InputError', message: /slo\.0\.metric: expected one of[\s\S]*slo\.0\.percentile[\s\S]*slo\.0\.thresholdS: expected > 0/ },
  { name: 'engine.blockSize: 0', section: 'wrong or silent output', call: (lib, p) => lib.prepareDeployment(p.deployment.model, p.deployment.hardware, { engine: { blockSize: 0 } }, p.deployment.calibration), error: 'InputError', message: /choice\.engine\.blockSize: expected >= 1, found 0/ },
  { name: 'prepareDeployment given a model id', section: 'internal error', call: (lib, p) => Reflect.apply(lib.prepareDeployment, undefined, ['llama-3.1-8b', p.deployment.hardware, {}, p.deployment.calibration]), error: 'InputError', message: /prepareDeployment: model: expected a model profile/ },
  { name: 'GuideLLM sweep of size 0', section: 'wrong or silent output', call: (lib, p) => lib.simulateGuidellmSweep({ deployment: p, seed: 1 }, { lengths: workload.lengths, maxRequests: 10 }, 0), error: 'InputError', message: /sweep size must be a whole number >= 2/ },
  { name: 'every request rejected (library)', section: 'wrong or silent output', call: (lib, p) => lib.simulate({ deployment: p, workload: { ...workload, lengths: { kind: 'fixed', inputTokens: 10_000_000, outputTokens: 1 } }, seed: 1 }), error: 'InfeasibleError', message: /all 20 requests were rejected/ },
];
