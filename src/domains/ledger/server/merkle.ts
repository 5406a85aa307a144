import crypto from 'node:crypto';
import { makeHasher, type Hasher } from '../verify/tlog.ts';

/**
 * The RFC 6962 tree on Node: SHA-256 by the one-shot `crypto.hash` (about 1.6× faster than
 * createHash for 32–65-byte inputs, reference/ledger.md §10). Proof generation and RFC 9162
 * verification live in ../verify/tlog.ts so the browser and the CLI run the very same code.
 */
export const nodeSha256 = (data: Uint8Array): Uint8Array => crypto.hash('sha256', data, 'buffer');

export const hasher: Hasher = makeHasher(nodeSha256);

export {
  consistencyProof,
  Frontier,
  inclusionProof,
  memoryNodes,
  neededNodes,
  ProofError,
  rangeHash,
  rootFromInclusionProof,
  rootFromLeafHashes,
  splitPoint,
  verifyConsistency,
  verifyInclusion,
} from '../verify/tlog.ts';
