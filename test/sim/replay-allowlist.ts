/**
 * Recordings the simulator does not match, by number, with why. The replay test fails if one
 * of these starts matching (then remove it here) or if any other recording stops matching.
 */
export const NOT_YET_MATCHED: ReadonlyMap<string, string> = new Map<string, string>([]);
