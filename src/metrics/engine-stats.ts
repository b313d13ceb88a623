/** Time-weighted engine statistics, accumulated step by step (one replica's step at a time). */
export class EngineStats {
  busyTimeS = 0;
  /** Σ decode batch × step duration */
  decodeSeqSeconds = 0;
  /** Σ KV utilisation × step duration */
  kvUtilizationSeconds = 0;
  peakKvUtilization = 0;

  step(durationS: number, decodeSeqs: number, kvUtilization: number): void {
    this.busyTimeS += durationS;
    this.decodeSeqSeconds += decodeSeqs * durationS;
    this.kvUtilizationSeconds += kvUtilization * durationS;
    if (kvUtilization > this.peakKvUtilization) this.peakKvUtilization = kvUtilization;
  }
}
