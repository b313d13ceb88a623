import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { msFromS, sFromMs, sFromMsDivided, sFromUs } from '../../src/units.ts';

// the helpers replaced inline 1e3/1e-3/1e-6 arithmetic; outputs are compared byte for byte, so each must be
// bit-identical to the expression it replaced (ms × 1e-3 and ms / 1e3 differ in the last bit for some values)
describe('named time conversions are exactly the arithmetic they replaced', () => {
  it('hand-computed cases', () => {
    expect(msFromS(0.25)).toBe(250);
    expect(sFromMs(200)).toBe(0.2);
    expect(sFromUs(16)).toBe(16 * 1e-6);
    expect(sFromMsDivided(1500)).toBe(1.5);
  });
  it('property: bit-identical for any finite double', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        expect(Object.is(msFromS(x), x * 1e3)).toBe(true);
        expect(Object.is(sFromMs(x), x * 1e-3)).toBe(true);
        expect(Object.is(sFromUs(x), x * 1e-6)).toBe(true);
        expect(Object.is(sFromMsDivided(x), x / 1e3)).toBe(true);
      }),
    );
  });
});
