import { crashPart } from './crash.js';
import { networkPart } from './network.js';
import { outagePart } from './outage.js';
import type { TorturePart } from './types.js';
import { diskPart } from './disk.js';
import { fuzzPart } from './fuzz.js';
import { securityPart } from './security.js';
import { tamperPart } from './tamper.js';

/** The parts in the order they run (issue 14's numbering); each file holds one part. */
export const PARTS: readonly TorturePart[] = [
  crashPart,
  networkPart,
  outagePart,
  fuzzPart,
  tamperPart,
  securityPart,
  diskPart,
];
