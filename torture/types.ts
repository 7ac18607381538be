/**
 * One part of the torture run (issue 14): a repeatable attack on one promise — nothing an
 * acknowledged sale wrote is lost, nothing is regularized twice, tampering is detected, nobody
 * gets in without a device token and a cashier — that reports its figures.
 */
export interface PartOptions {
  /** Quick mode: the size that runs inside CI in a few minutes. */
  readonly quick: boolean;
  /** Every random choice of the part derives from it, so a failing run can be repeated. */
  readonly seed: number;
  /** A fresh directory of the part's own (removed after a passing run unless kept). */
  readonly workDir: string;
  /** A progress line (stderr); the figures go in the report. */
  log(line: string): void;
  /**
   * A real ERPNext v15 instead of the simulator (parts 1–3), from the contract suite's
   * variables OUTPOST_CONTRACT_URL / _KEY / _SECRET / _POS_PROFILE.
   */
  readonly erpnext?: RealErpnext;
}

export interface RealErpnext {
  readonly url: string;
  readonly key: string;
  readonly secret: string;
  readonly posProfile: string;
}

export interface PartResult {
  /** Each figure the part measured: crashes survived, faults injected, sales, losses, duplicates… */
  readonly figures: Readonly<Record<string, number | string>>;
  /** Each broken promise, in words; empty when the part passed. */
  readonly failures: readonly string[];
}

export interface TorturePart {
  /** Short name used by `--only` (crash, network, outage, fuzz, tamper, security, disk). */
  readonly name: string;
  /** What it proves, one line. */
  readonly title: string;
  run(o: PartOptions): Promise<PartResult>;
}
