/**
 * Run by test/planning/recommend-step-memo.test.ts as `node --import tsx --allow-natives-syntax` (V8's
 * %HaveSameMap is not reachable otherwise): prints whether the memoised cost models of two different
 * deployments, and the models behind them, share their hidden class.
 */
import { DeploymentResolver } from '../../src/planning/deployment-resolver.ts';
import { withStepMemo } from '../../src/planning/recommend/step-memo.ts';

const resolver = new DeploymentResolver();
const a = resolver.prepare({ model: 'llama-3.1-8b', hardware: 'h100-sxm' });
const b = resolver.prepare({ model: 'qwen3-8b', hardware: 'h200-sxm' });
const memoA = withStepMemo(a);
const memoB = withStepMemo(b);
const sameMap = new Function('x', 'y', 'return %HaveSameMap(x, y)') as (x: object, y: object) => boolean;
console.log(JSON.stringify({ memos: sameMap(memoA.cost, memoB.cost), models: sameMap(a.cost, b.cost) }));
