/**
 * The API frontend in front of one engine instance: the HTTP server process that receives a request and
 * turns its prompt text into token ids before the engine's scheduler sees it. It runs beside the GPU (its
 * own process or threads), so it delays a request's TTFT without stalling anyone's decode steps; with
 * more prompts arriving than it works on at once, they wait in FIFO order.
 *
 * Why it exists: in InferenceX's 8×H200 vLLM study (random-token prompts sent as text, 1k–32k tokens)
 * TTFT grows ~0.16 ms per prompt token at concurrency 4 and queues at higher concurrency, while the TPOT
 * of the requests decoding beside those prompts stays at 13–40 ms: the time is not on the GPU's step
 * path. A FIFO stage of a few workers with a per-token cost reproduces it (docs/validation-frontend.md).
 *
 * Exact for FIFO service with `workers` servers: requests are issued in time order, and each starts on the
 * worker that frees first.
 */
export class Frontend {
  readonly #freeAtS: Float64Array;
  readonly #perTokenS: number;

  constructor(workers: number, perPromptTokenUs: number) {
    this.#freeAtS = new Float64Array(Math.max(1, Math.round(workers)));
    this.#perTokenS = perPromptTokenUs * 1e-6;
  }

  /** When a prompt of `inputTokens` arriving at `nowS` (not earlier than any before it) reaches the engine. */
  admitAtS(nowS: number, inputTokens: number): number {
    const free = this.#freeAtS;
    let w = 0;
    for (let i = 1; i < free.length; i++) if (free[i]! < free[w]!) w = i;
    const doneS = Math.max(nowS, free[w]!) + this.#perTokenS * inputTokens;
    free[w] = doneS;
    return doneS;
  }
}

/** One frontend per engine instance when the calibration gives the frontend a cost; none otherwise. */
export function frontendsFor(replicas: number, values: { readonly frontend_prompt_token_us: number; readonly frontend_workers: number }): Frontend[] | undefined {
  if (!(values.frontend_prompt_token_us > 0)) return undefined;
  return Array.from({ length: replicas }, () => new Frontend(values.frontend_workers, values.frontend_prompt_token_us));
}
