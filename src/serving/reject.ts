import type { Deployment } from '../cost/deployment.ts';
import type { Replica } from './replica.ts';

export const EMPTY_REQUEST = 'request with no input or output tokens';

/** Why a request of these lengths can never be served by a replica like `replica`, or undefined. */
export function rejectReason(engine: Deployment['engine'], replica: Replica, inputTokens: number, outputTokens: number): string | undefined {
  if (inputTokens < 1 || outputTokens < 1) return EMPTY_REQUEST;
  if (inputTokens + outputTokens > engine.maxModelLen) return `longer than max_model_len (${engine.maxModelLen})`;
  if (!engine.chunkedPrefill && inputTokens > engine.maxNumBatchedTokens)
    return `prompt longer than max_num_batched_tokens (${engine.maxNumBatchedTokens}) with chunked prefill off`;
  // a speculative decoder also holds KV for the positions it verifies ahead (lookahead)
  if (replica.blocksFor(inputTokens + outputTokens + replica.lookaheadTokens) > replica.usableBlocks) return 'needs more KV cache than one replica has';
  return undefined;
}
