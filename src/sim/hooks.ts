import type { SiteContext } from './context.js';
import type { Doc } from './doc.js';

/**
 * Per-doctype controller methods, named as in Frappe (validate, before_submit, …). Business
 * logic (POS Invoice pricing, opening/closing, stock) plugs in here. Each receives the document
 * being written (mutable, as in Frappe) and may throw a FrappeError to refuse it; the request's
 * transaction then rolls back.
 */
interface DocHooks {
  /** Return a name to override the DocType's autoname rule (Frappe's `autoname` method). */
  readonly autoname?: (doc: Doc, ctx: SiteContext) => string | undefined;
  readonly beforeInsert?: (doc: Doc, ctx: SiteContext) => void;
  readonly validate?: (doc: Doc, ctx: SiteContext) => void;
  readonly beforeSubmit?: (doc: Doc, ctx: SiteContext) => void;
  readonly beforeCancel?: (doc: Doc, ctx: SiteContext) => void;
  readonly beforeUpdateAfterSubmit?: (doc: Doc, ctx: SiteContext) => void;
  readonly afterInsert?: (doc: Doc, ctx: SiteContext) => void;
  readonly onUpdate?: (doc: Doc, ctx: SiteContext) => void;
  readonly onSubmit?: (doc: Doc, ctx: SiteContext) => void;
  readonly onCancel?: (doc: Doc, ctx: SiteContext) => void;
  readonly onUpdateAfterSubmit?: (doc: Doc, ctx: SiteContext) => void;
  readonly beforeDelete?: (doc: Doc, ctx: SiteContext) => void;
  readonly afterDelete?: (doc: Doc, ctx: SiteContext) => void;
}

type HookEvent = Exclude<keyof DocHooks, 'autoname'>;

/** Hooks per doctype, run in registration order. One registry per app instance. */
export class HookRegistry {
  private readonly byDoctype = new Map<string, DocHooks[]>();

  register(doctype: string, hooks: DocHooks): this {
    const list = this.byDoctype.get(doctype) ?? [];
    list.push(hooks);
    this.byDoctype.set(doctype, list);
    return this;
  }

  run(event: HookEvent, doctype: string, doc: Doc, ctx: SiteContext): void {
    for (const h of this.byDoctype.get(doctype) ?? []) h[event]?.(doc, ctx);
  }

  autoname(doctype: string, doc: Doc, ctx: SiteContext): string | undefined {
    for (const h of this.byDoctype.get(doctype) ?? []) {
      const name = h.autoname?.(doc, ctx);
      if (name !== undefined) return name;
    }
    return undefined;
  }
}
