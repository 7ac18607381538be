/**
 * How much this machine alone stretches a short operation: a pure CPU loop (no I/O, no
 * allocation) timed 20,000 times, at three lengths around the lookups' medians. Run:
 * `node --import tsx bench/jitter.ts`. Its p99 is the floor any timed operation of the same
 * median can reach here (interrupts, scheduling, steal time of the VM).
 */
const SAMPLES = 20_000;

function measure(iterations: number): { p50: number; p99: number; p999: number } {
  const t: number[] = [];
  let x = 0;
  for (let k = 0; k < SAMPLES; k++) {
    const s = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) x += Math.sqrt(i ^ k);
    t.push(Number(process.hrtime.bigint() - s) / 1000);
  }
  if (x < 0) console.log(x); // keeps the loop from being optimized away
  t.sort((a, b) => a - b);
  const at = (q: number) => Number((t[Math.floor(SAMPLES * q)] ?? 0).toFixed(1));
  return { p50: at(0.5), p99: at(0.99), p999: at(0.999) };
}

for (const iterations of [1_500, 4_500, 9_000]) measure(iterations); // warm-up
const rows = [1_500, 4_500, 9_000].map((iterations) => ({ iterations, ...measure(iterations) }));
console.log(JSON.stringify({ date: new Date().toISOString(), busy_loop_us: rows }, null, 2));
