import { choiceFromFlags } from '../schema/deployment-flags.ts';
import { InputError } from '../diagnostics/errors.ts';
import { ENGINE_FAMILIES } from '../schema/deployment.ts';
import { COMPUTE_DTYPES, KV_CACHE_DTYPES, WEIGHT_FORMATS } from '../schema/dtype.ts';
import type { DeploymentResolver } from './deployment-resolver.ts';
import { pointAt, type SweepGrid } from './sweep-grid.ts';
import { deploymentFlags, workloadFlags } from './sweep-worker.ts';
import { resolveWorkloads } from './workload-flags.ts';

/** Unknown names and bad values fail before anything runs (a typo in a list should not cost a sweep). */
export function validateGrid(resolver: DeploymentResolver, grid: SweepGrid): void {
  for (const m of grid.axes.model) resolver.registry.getModel(String(m));
  for (const h of grid.axes.hardware) resolver.registry.getHardware(String(h));
  const check = (axis: string, values: readonly unknown[], known: readonly string[]) => {
    for (const v of values)
      if (v !== undefined && !known.includes(String(v))) throw new InputError(`sweep: unknown ${axis} "${String(v)}"; expected one of ${known.join(', ')}`);
  };
  check('weights', grid.axes.weights, WEIGHT_FORMATS);
  check('kv-cache', grid.axes['kv-cache'], KV_CACHE_DTYPES);
  check('engine', grid.axes.engine, ENGINE_FAMILIES);
  if (grid.fixed.activations !== undefined) check('activations', [grid.fixed.activations], COMPUTE_DTYPES);
  // the workload and engine settings of the first point: bad --data, --slo, ... fail here
  const p = pointAt(grid, 0);
  resolveWorkloads(workloadFlags(grid.fixed, p));
  choiceFromFlags(deploymentFlags(grid.fixed, p));
}
