import type { SimApp } from '../app.js';
import { bulkInsertDocs } from '../bulk.js';
import { dbSet, getDoc } from '../document.js';
import { demoSeed, type DemoSeedOptions } from './demo.js';
import { companyAccountDefaults } from './org.js';

export interface LoadedSeed {
  /** Documents inserted per doctype (records that `--seed empty` already held are kept). */
  readonly counts: Record<string, number>;
  readonly seconds: number;
}

/**
 * Loads the demo company into a site that already holds `--seed empty`: stream each doctype's
 * records straight into storage (no per-document validation, as Data Import does at scale),
 * skipping names the site already has, then set the company's default accounts.
 */
export function loadDemoSeed(app: SimApp, opts: Omit<DemoSeedOptions, 'now'> = {}): LoadedSeed {
  const started = performance.now();
  const ctx = app.contextFor('Administrator');
  const now = app.time.stamp();
  const counts: Record<string, number> = {};
  // Seeded names like PRLE-0007 bypass the naming series: move each counter past them so the
  // next document named by the site does not collide (Frappe's tabSeries after a Data Import).
  const series = new Map<string, number>();
  for (const table of demoSeed({ ...opts, now })) {
    // The names the site holds already, read once per table (not one look-up per record: at a
    // million items those add up); lower-cased as the NOCASE name column compares them.
    const held = new Set(app.db.names(table.doctype).map((n) => n.toLowerCase()));
    const fresh = function* () {
      for (const doc of table.records) {
        if (held.has(doc.name.toLowerCase())) continue;
        const m = /^(.*?)(\d+)$/.exec(doc.name);
        if (m?.[1]) series.set(m[1], Math.max(series.get(m[1]) ?? 0, Number(m[2])));
        yield doc.doctype === table.doctype ? doc : { ...doc, doctype: table.doctype };
      }
    };
    counts[table.doctype] = (counts[table.doctype] ?? 0) + bulkInsertDocs(ctx, fresh());
  }
  app.db.transaction(() => {
    for (const [prefix, n] of series) {
      if (app.db.currentSeries(prefix) < n) app.db.setSeries(prefix, n);
    }
  });
  const company = app.db.exists('Company', 'Outpost Demo Retail')
    ? getDoc(ctx, 'Company', 'Outpost Demo Retail')
    : null;
  if (company)
    app.db.transaction(() => dbSet(ctx, 'Company', company, { ...companyAccountDefaults() }));
  return { counts, seconds: (performance.now() - started) / 1000 };
}
