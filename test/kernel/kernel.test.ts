import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventQueue } from '../../src/kernel/event-queue.ts';
import { Simulation } from '../../src/kernel/simulation.ts';

/** an operation sequence: push(time) or pop, times drawn from a small set so ties are common */
const ops = fc.array(
  fc.oneof(
    { arbitrary: fc.record({ push: fc.integer({ min: 0, max: 20 }).map((t) => t / 4) }), weight: 3 },
    { arbitrary: fc.constant({ pop: true as const }), weight: 1 },
  ),
  { maxLength: 400 },
);

describe('EventQueue', () => {
  it('pops in (time, insertion) order, like a stable sorted reference, under interleaved pushes and pops', () => {
    fc.assert(
      fc.property(ops, (sequence) => {
        const q = new EventQueue(2); // tiny initial capacity: exercises growth
        // reference: a list kept sorted by (time, seq); payload = insertion index
        const ref: { t: number; seq: number }[] = [];
        let seq = 0;
        const popped: number[] = [];
        const expected: number[] = [];
        const pop = () => {
          expect(q.peekTime()).toBe(ref[0]!.t);
          popped.push(q.pop());
          expected.push(ref.shift()!.seq);
        };
        for (const op of sequence) {
          if ('push' in op) {
            q.push(op.push, seq);
            let i = ref.length;
            while (i > 0 && ref[i - 1]!.t > op.push) i--; // after every equal time: insertion order
            ref.splice(i, 0, { t: op.push, seq });
            seq++;
          } else if (ref.length > 0) pop();
        }
        while (ref.length > 0) pop();
        expect(popped).toEqual(expected);
        expect(q.size).toBe(0);
        expect(q.peekTime()).toBe(Infinity);
      }),
      { numRuns: 300 },
    );
  });

  it('pop on an empty queue throws', () => {
    expect(() => new EventQueue().pop()).toThrow(RangeError);
  });
});

describe('Simulation', () => {
  it('runs handlers in (time, seq) order, including events scheduled by handlers at the current time', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 10 }), { minLength: 1, maxLength: 100 }), (times) => {
        const sim = new Simulation();
        const seen: { t: number; target: number }[] = [];
        let next = times.length;
        const FOLLOW = sim.on((target, now) => seen.push({ t: now, target }));
        const KIND = sim.on((target, now) => {
          seen.push({ t: now, target });
          // a follow-up at the same time runs after everything already queued for that time
          if (target % 3 === 0) sim.schedule(now, FOLLOW, next++);
        });
        times.forEach((t, i) => sim.schedule(t, KIND, i));
        expect(sim.run()).toBe('drained');
        for (let i = 1; i < seen.length; i++) expect(seen[i]!.t).toBeGreaterThanOrEqual(seen[i - 1]!.t);
        // within one time: initial events in insertion order, then follow-ups in the order they were made
        const byTime = new Map<number, number[]>();
        for (const s of seen) byTime.set(s.t, [...(byTime.get(s.t) ?? []), s.target]);
        for (const [t, targets] of byTime) {
          const initial = times.map((x, i) => (x === t ? i : -1)).filter((i) => i >= 0);
          const follow = initial.filter((i) => i % 3 === 0);
          expect(targets.slice(0, initial.length)).toEqual(initial);
          expect(targets.length).toBe(initial.length + follow.length);
          expect(targets.slice(initial.length).every((x) => x >= times.length)).toBe(true);
        }
        expect(sim.eventsProcessed).toBe(seen.length);
      }),
    );
  });

  it('refuses events in the past and at NaN', () => {
    const sim = new Simulation();
    const K = sim.on((_t, now) => {
      expect(() => sim.schedule(now - 1e-9, K, 0)).toThrow(RangeError);
    });
    expect(() => sim.schedule(NaN, K, 0)).toThrow(RangeError);
    sim.schedule(5, K, 0);
    sim.run();
    expect(sim.now).toBe(5);
    expect(() => sim.schedule(4, K, 0)).toThrow(/past/);
    expect(() => sim.schedule(5, K, 0)).not.toThrow(); // "now" is not the past
  });

  it('honours untilS: stops before the first later event, and resumes where it stopped', () => {
    const sim = new Simulation();
    const seen: number[] = [];
    const K = sim.on((_t, now) => seen.push(now));
    for (const t of [1, 2, 3, 3.5, 4, 10]) sim.schedule(t, K, 0);
    expect(sim.run({ untilS: 3.5 })).toBe('time-limit');
    expect(seen).toEqual([1, 2, 3, 3.5]); // inclusive limit
    expect(sim.now).toBe(3.5);
    expect(sim.run({ untilS: 9 })).toBe('time-limit');
    expect(seen).toEqual([1, 2, 3, 3.5, 4]);
    expect(sim.run()).toBe('drained');
    expect(seen).toEqual([1, 2, 3, 3.5, 4, 10]);
  });

  it('honours maxEvents and passes the target through', () => {
    const sim = new Simulation();
    const targets: number[] = [];
    const A = sim.on((t) => targets.push(t));
    const B = sim.on((t) => targets.push(-t));
    sim.schedule(1, A, 123456);
    sim.schedule(1, B, 7);
    sim.schedule(2, A, 0);
    expect(sim.run({ maxEvents: 2 })).toBe('event-limit');
    expect(targets).toEqual([123456, -7]);
    expect(sim.run()).toBe('drained');
    expect(targets).toEqual([123456, -7, 0]);
  });
});

describe('Simulation.nextEventS', () => {
  it('is the time of the next pending event, Infinity when none', () => {
    const sim = new Simulation();
    const K = sim.on(() => {});
    expect(sim.nextEventS).toBe(Infinity);
    sim.schedule(3, K, 0);
    sim.schedule(2, K, 0);
    expect(sim.nextEventS).toBe(2);
    sim.run({ untilS: 2 });
    expect(sim.nextEventS).toBe(3);
  });
});
