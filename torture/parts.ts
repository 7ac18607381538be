import { crashPart } from './crash.js';
import { networkPart } from './network.js';
import { outagePart } from './outage.js';
import type { TorturePart } from './types.js';

/** The parts in the order they run (issue 14's numbering); each file holds one part. */
export const PARTS: readonly TorturePart[] = [crashPart, networkPart, outagePart];
