import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';

/**
 * A tmpfs of `bytes` mounted at `path` (root with CAP_SYS_ADMIN, as in the CI container): a
 * file system that really fills up and really turns read-only, which file modes cannot fake
 * for root. Returns null with the reason when this machine does not allow it.
 */
export function mountSmallFs(
  path: string,
  bytes: number,
  readOnly = false,
): { unmount(): void } | { error: string } {
  mkdirSync(path, { recursive: true });
  const options = `size=${bytes},mode=0700${readOnly ? ',ro' : ''}`;
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', path], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return { error: (r.error?.message ?? r.stderr).trim() };
  return {
    unmount: () => {
      spawnSync('umount', [path]);
    },
  };
}

/** Remounts the tmpfs at `path` read-only or read-write (fails while a file is open for writing). */
export function remount(path: string, readOnly: boolean): string | null {
  const r = spawnSync('mount', ['-o', `remount,${readOnly ? 'ro' : 'rw'}`, path], {
    encoding: 'utf8',
  });
  return r.error || r.status !== 0 ? (r.error?.message ?? r.stderr).trim() : null;
}
