import { exponential, gamma, type Rng } from './random.ts';

/**
 * How requests arrive. Open-loop processes produce arrival times; closed-loop ones (synchronous,
 * concurrent, throughput) issue a new request when one finishes and are driven by the simulator.
 */
export type ArrivalSpec =
  | { readonly kind: 'synchronous' }
  | { readonly kind: 'concurrent'; readonly streams: number }
  /** everything at once, at most maxConcurrency in flight (GuideLLM throughput; vLLM --request-rate inf) */
  | { readonly kind: 'throughput'; readonly maxConcurrency?: number }
  | { readonly kind: 'constant'; readonly ratePerS: number }
  | { readonly kind: 'poisson'; readonly ratePerS: number }
  /** gamma inter-arrivals; burstiness = gamma shape (vLLM --burstiness): 1 = Poisson, < 1 burstier */
  | { readonly kind: 'gamma'; readonly ratePerS: number; readonly burstiness: number }
  /** a non-homogeneous Poisson process with a piecewise-linear rate curve, repeated with its period */
  | { readonly kind: 'rate-curve'; readonly points: readonly { readonly timeS: number; readonly ratePerS: number }[]; readonly repeat?: boolean }
  /** replayed arrival times (seconds from start), scaled by timeScale */
  | { readonly kind: 'trace'; readonly timesS: readonly number[]; readonly timeScale?: number };

export type ClosedLoop = { streams: number };

/** streams in flight for a closed-loop spec, or undefined for open-loop ones */
export function closedLoopStreams(spec: ArrivalSpec, maxRequests: number): number | undefined {
  switch (spec.kind) {
    case 'synchronous':
      return 1;
    case 'concurrent':
      return spec.streams;
    case 'throughput':
      return Math.min(spec.maxConcurrency ?? maxRequests, maxRequests);
    default:
      return undefined;
  }
}

/** Returns the next arrival time after `now`, or Infinity when the process has ended. */
export type ArrivalProcess = () => number;

export function openLoopProcess(spec: ArrivalSpec, rng: Rng): ArrivalProcess {
  switch (spec.kind) {
    case 'constant': {
      let i = 0;
      return () => i++ / spec.ratePerS;
    }
    case 'poisson': {
      let t = 0;
      return () => (t += exponential(rng, spec.ratePerS));
    }
    case 'gamma': {
      let t = 0;
      const shape = spec.burstiness;
      const scale = 1 / (spec.ratePerS * shape);
      return () => (t += gamma(rng, shape, scale));
    }
    case 'rate-curve':
      return rateCurveProcess(spec.points, spec.repeat ?? true, rng);
    case 'trace': {
      let i = 0;
      const scale = spec.timeScale ?? 1;
      const t0 = spec.timesS[0] ?? 0;
      return () => (i < spec.timesS.length ? (spec.timesS[i++]! - t0) * scale : Infinity);
    }
    default:
      throw new Error(`${spec.kind} is a closed-loop profile`);
  }
}

/** Lewis–Shedler thinning against the curve's peak rate. */
function rateCurveProcess(points: readonly { timeS: number; ratePerS: number }[], repeat: boolean, rng: Rng): ArrivalProcess {
  const peak = Math.max(...points.map((p) => p.ratePerS));
  const period = points[points.length - 1]!.timeS;
  const rateAt = (t: number): number => {
    let x = t;
    if (repeat && period > 0) x = t % period;
    else if (x >= period) return points[points.length - 1]!.ratePerS;
    let lo = 0;
    while (lo + 1 < points.length && points[lo + 1]!.timeS <= x) lo++;
    const a = points[lo]!;
    const b = points[lo + 1];
    if (!b) return a.ratePerS;
    return a.ratePerS + ((b.ratePerS - a.ratePerS) * (x - a.timeS)) / (b.timeS - a.timeS);
  };
  // a curve that is not repeated holds its last rate after its end: at rate 0 nothing more arrives
  // (thinning would otherwise draw candidate times forever and accept none)
  const endsSilent = !repeat && points[points.length - 1]!.ratePerS <= 0;
  let t = 0;
  return () => {
    if (peak <= 0) return Infinity;
    for (;;) {
      t += exponential(rng, peak);
      if (endsSilent && t >= period) return Infinity;
      if (rng.next() * peak < rateAt(t)) return t;
    }
  };
}

/** nominal offered rate (requests/s) of an open-loop spec; undefined for closed loops */
export function nominalRate(spec: ArrivalSpec): number | undefined {
  switch (spec.kind) {
    case 'constant':
    case 'poisson':
    case 'gamma':
      return spec.ratePerS;
    case 'rate-curve': {
      let area = 0;
      for (let i = 1; i < spec.points.length; i++) {
        const a = spec.points[i - 1]!;
        const b = spec.points[i]!;
        area += ((a.ratePerS + b.ratePerS) / 2) * (b.timeS - a.timeS);
      }
      const span = spec.points[spec.points.length - 1]!.timeS - spec.points[0]!.timeS;
      return span > 0 ? area / span : spec.points[0]?.ratePerS;
    }
    case 'trace': {
      const n = spec.timesS.length;
      const span = ((spec.timesS[n - 1] ?? 0) - (spec.timesS[0] ?? 0)) * (spec.timeScale ?? 1);
      return span > 0 ? (n - 1) / span : undefined;
    }
    default:
      return undefined;
  }
}
