import type { ErpClient, ErpDoc, Filter } from '../../erpnext/client.js';
import { text } from '../../erpnext/text.js';

const PAGE = 500;

/** Every row of a list, a page at a time (by name, so a page boundary never repeats a row). */
export async function listAll(
  erp: Pick<ErpClient, 'list'>,
  doctype: string,
  filters: readonly Filter[],
  fields: readonly string[],
): Promise<ErpDoc[]> {
  const out: ErpDoc[] = [];
  for (let start = 0; ; start += PAGE) {
    const page = await erp.list(doctype, {
      fields,
      filters,
      order_by: 'name asc',
      limit_start: start,
      limit_page_length: PAGE,
    });
    out.push(...page);
    if (page.length < PAGE) return out;
  }
}

/**
 * The whole documents (child tables included) of `doctype` whose `marker` field is set, from
 * `dateField` on when `from` is given. Drafts and cancelled documents too: a cancelled sale is
 * still a signed record of the chain.
 */
export async function documentsWith(
  erp: Pick<ErpClient, 'list' | 'get'>,
  doctype: string,
  marker: string,
  from: { readonly field: string; readonly date: string } | null,
): Promise<ErpDoc[]> {
  const filters: Filter[] = [[marker, 'is', 'set']];
  if (from) filters.push([from.field, '>=', from.date]);
  const rows = await listAll(erp, doctype, filters, ['name']);
  const docs: ErpDoc[] = [];
  for (const row of rows) docs.push(await erp.get(doctype, text(row['name'])));
  return docs;
}
