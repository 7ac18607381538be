import { randomInt } from 'node:crypto';
import type { SimDb } from './db.js';
import type { DocMeta } from './meta.js';
import type { SiteTime } from './site-time.js';
import type { Doc } from './doc.js';
import { cstr } from './doc.js';

const B36 = '0123456789abcdefghijklmnopqrstuvwxyz';

/** Frappe's "hash" name: 10 lowercase base-36 characters. */
export function hashName(): string {
  let s = '';
  for (let i = 0; i < 10; i++) s += B36[randomInt(36)] ?? '0';
  return s;
}

/**
 * Expand a naming-series pattern the way Frappe's NamingSeries does: parts split on '.',
 * YYYY/YY/MM/DD from server now, `{field}` or a bare fieldname from the doc, and the first
 * run of '#' is a counter per resulting prefix (tabSeries), bumped in the caller's transaction.
 * Example: "ACC-PSINV-.YYYY.-.#####" → "ACC-PSINV-2026-00001".
 */
export function nameFromSeries(db: SimDb, time: SiteTime, pattern: string, doc: Doc): string {
  const p = time.parts();
  const parts = pattern.split('.');
  let prefix = '';
  let digits = 0;
  let suffix = '';
  for (const part of parts) {
    let piece: string;
    if (/^#+$/.test(part)) {
      if (digits === 0) {
        digits = part.length;
        continue;
      }
      piece = part;
    } else if (part === 'YYYY') piece = p.year;
    else if (part === 'YY') piece = p.year.slice(2);
    else if (part === 'MM') piece = p.month;
    else if (part === 'DD') piece = p.day;
    else if (/^\{\w+\}$/.test(part)) piece = cstr(doc[part.slice(1, -1)]);
    else if (part in doc && /^[a-z_]+$/.test(part)) piece = cstr(doc[part]);
    else piece = part;
    if (digits === 0) prefix += piece;
    else suffix += piece;
  }
  if (digits === 0) return prefix;
  const n = db.nextSeries(prefix);
  return prefix + String(n).padStart(digits, '0') + suffix;
}

/** The series pattern for a `naming_series:` doctype: the doc's series plus ".#####". */
export function seriesPattern(series: string): string {
  return series.includes('#') ? series : `${series.replace(/\.$/, '')}.#####`;
}

/** Frappe's amended name: "X" → "X-1", "X-1" → "X-2". */
function amendedName(db: SimDb, doctype: string, amendedFrom: string): string {
  const original = db.get(doctype, amendedFrom);
  if (original && original.data['amended_from']) {
    const bits = amendedFrom.split('-');
    const n = Number(bits.pop()) || 0;
    return `${bits.join('-')}-${n + 1}`;
  }
  return `${amendedFrom}-1`;
}

/**
 * Name a new document from its DocType's autoname rule (after any hook `autoname` declined).
 * Client-sent names are discarded unless autoname is Prompt, as Frappe's set_new_name does.
 */
export function autoName(db: SimDb, time: SiteTime, meta: DocMeta, doc: Doc): string {
  const rule = meta.autoname;
  if (rule.toLowerCase() === 'prompt') {
    const given = doc['__newname'] ?? doc['name'];
    if (typeof given === 'string' && given !== '') return given;
  }
  if (typeof doc['amended_from'] === 'string' && doc['amended_from'] !== '') {
    return amendedName(db, meta.name, doc['amended_from']);
  }
  if (meta.issingle) return meta.name;
  if (rule.startsWith('field:')) {
    const v = doc[rule.slice('field:'.length).trim()];
    if (typeof v === 'string' && v !== '') return v.trim();
    if (typeof v === 'number') return String(v);
  }
  if (rule.startsWith('naming_series:')) {
    const series = doc['naming_series'];
    if (typeof series === 'string' && series !== '') {
      return nameFromSeries(db, time, seriesPattern(series), doc);
    }
  }
  if (rule.startsWith('format:')) {
    const fmt = rule.slice('format:'.length).replace(/\{(#+)\}/, '.$1.');
    return nameFromSeries(db, time, fmt.replace(/\{(\w+)\}/g, '.{$1}.'), doc);
  }
  if (rule.includes('#')) return nameFromSeries(db, time, rule, doc);
  return hashName();
}
