/**
 * A test hook for issue 14's crash torture (torture/crash.ts): with
 * `OUTPOST_TORTURE_PAUSE=after-commit:MS` the sale route waits MS milliseconds after the sale's
 * commit is durable and before its 201 goes out, so a SIGKILL can land in that window (the sale
 * is kept, the terminal never heard so). Read once when the routes are made; unset (always, in
 * a shop) it costs nothing per sale.
 */
export function pauseAfterCommit(
  env: Readonly<Record<string, string | undefined>>,
): (() => Promise<void>) | null {
  const m = /^after-commit:(\d{1,5})$/.exec(env['OUTPOST_TORTURE_PAUSE'] ?? '');
  if (!m) return null;
  const ms = Number(m[1]);
  return () => new Promise((resolve) => setTimeout(resolve, ms));
}
