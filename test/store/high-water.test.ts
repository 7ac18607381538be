import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/db.js';
import { raiseHighWater, readHighWater, type HighWater } from '../../src/store/high-water.js';
import { registerTerminal } from '../../src/store/terminals.js';
import { oldStoreCopy } from '../node/fixture.js';

const mark = (seq: number, receipt: string | null): HighWater => ({
  seq,
  hash: String(seq % 10).repeat(64),
  doctype: 'POS Invoice',
  name: `ACC-PSINV-2026-0000${seq}`,
  receipt_no: receipt,
  checked_at: '2026-12-07T04:00:00.000Z',
});

describe("ERPNext's high-water mark, kept per terminal", () => {
  it("a store's one mark from before (meta) is its first terminal's; each terminal's rises alone", () => {
    const db = openStore(join(oldStoreCopy(), 'store.db'), { mustExist: true });
    try {
      db.prepare("INSERT INTO meta (key, value) VALUES ('erp_high_water', ?)").run(
        JSON.stringify(mark(9, 'NORTH-T1-2026-000004')),
      );
      registerTerminal(db, 'T2', '2026-12-07T04:00:00.000Z');
      expect(readHighWater(db, 'T1')).toEqual(mark(9, 'NORTH-T1-2026-000004'));
      expect(readHighWater(db, 'T2')).toBeNull();

      // A lower mark (the push's proof) keeps the legacy seq, now in T1's own row.
      expect(raiseHighWater(db, 'T1', mark(7, 'NORTH-T1-2026-000005'))).toEqual({
        ...mark(9, 'NORTH-T1-2026-000005'),
      });
      expect(raiseHighWater(db, 'T2', mark(3, 'NORTH-T2-2026-000001'))).toEqual(
        mark(3, 'NORTH-T2-2026-000001'),
      );
      expect(
        db
          .prepare('SELECT terminal, value FROM terminal_local WHERE key = ? ORDER BY 1')
          .all('erp_high_water'),
      ).toEqual([
        { terminal: 'T1', value: JSON.stringify(mark(9, 'NORTH-T1-2026-000005')) },
        { terminal: 'T2', value: JSON.stringify(mark(3, 'NORTH-T2-2026-000001')) },
      ]);
      expect(readHighWater(db, 'T2')).toEqual(mark(3, 'NORTH-T2-2026-000001'));
    } finally {
      db.close();
    }
  });
});
