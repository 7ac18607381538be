/**
 * The Custom Fields Outpost keeps in ERPNext, in one place: `outpost erpnext-setup` installs
 * them, the push fills them, `outpost audit` reads them. A pushed sale carries its signed
 * journal record whole (header text, body text, signature), so HQ verifies it from ERPNext
 * alone: the hash and signature over the header, the body against the header's body_hash, and
 * ERPNext's amounts against the body. Each is `POST /api/resource/Custom Field`
 * with these keys (ERPNext names the record `<dt>-<fieldname>`).
 *
 * The uuid fields are `unique` (a second insert of the same sale is 417 UniqueValidationError:
 * the idempotency key, recorded [218, 245]). POS Invoice and Sales Invoice use different
 * fieldnames: consolidation copies same-named fields from the last POS Invoice merged into the
 * consolidated Sales Invoice, which would then hold a sale's uuid and refuse that sale's own
 * direct Sales Invoice [237, 246]. `no_copy` also keeps them off amended copies.
 */
export interface CustomFieldSpec {
  readonly dt: string;
  readonly fieldname: string;
  readonly label: string;
  readonly fieldtype: 'Data' | 'Int' | 'Small Text' | 'Long Text' | 'Currency';
  readonly unique?: 1;
  readonly no_copy?: 1;
  readonly read_only: 1;
  readonly insert_after: string;
}

/** The fields of a pushed sale, by doctype: one name per role, so code never spells them. */
export interface SaleFieldNames {
  readonly uuid: string;
  readonly receiptNo: string;
  readonly terminal: string;
  readonly seq: string;
  readonly recordHash: string;
  readonly signature: string;
  readonly keyId: string;
  /** The canonical header text that was hashed and signed (the receipt QR's first half). */
  readonly signedHeader: string;
  /** The canonical body text whose SHA-256 the header carries: the invoice as signed. */
  readonly signedBody: string;
}

export const SALE_FIELDS: Readonly<Record<'POS Invoice' | 'Sales Invoice', SaleFieldNames>> = {
  'POS Invoice': {
    uuid: 'outpost_uuid',
    receiptNo: 'outpost_receipt_no',
    terminal: 'outpost_terminal',
    seq: 'outpost_seq',
    recordHash: 'outpost_record_hash',
    signature: 'outpost_signature',
    keyId: 'outpost_key_id',
    signedHeader: 'outpost_signed_header',
    signedBody: 'outpost_signed_body',
  },
  'Sales Invoice': {
    uuid: 'outpost_si_uuid',
    receiptNo: 'outpost_si_receipt_no',
    terminal: 'outpost_si_terminal',
    seq: 'outpost_si_seq',
    recordHash: 'outpost_si_record_hash',
    signature: 'outpost_si_signature',
    keyId: 'outpost_si_key_id',
    signedHeader: 'outpost_si_signed_header',
    signedBody: 'outpost_si_signed_body',
  },
};

/** A shift's opening and closing carry the shift's uuid (their idempotency key) too. */
export const SHIFT_UUID_FIELD = 'outpost_shift_uuid';

/** The chain anchor a POS Closing Entry carries to ERPNext. */
export const CLOSING_ANCHOR_FIELDS = {
  terminal: 'outpost_terminal',
  firstSeq: 'outpost_first_seq',
  lastSeq: 'outpost_last_seq',
  headHash: 'outpost_head_hash',
  perpetualTotal: 'outpost_perpetual_total',
  /** The Z report's record, signed: it vouches for the anchor and the shift's counts. */
  signedHeader: 'outpost_signed_header',
  signedBody: 'outpost_signed_body',
  signature: 'outpost_signature',
  keyId: 'outpost_key_id',
} as const;

/** A customer created at a till carries the uuid it was created with. */
export const CUSTOMER_UUID_FIELD = 'outpost_customer_uuid';

const ro = { read_only: 1 } as const;

function saleFields(dt: 'POS Invoice' | 'Sales Invoice'): CustomFieldSpec[] {
  const f = SALE_FIELDS[dt];
  return [
    {
      dt,
      fieldname: f.uuid,
      label: 'Outpost Sale UUID',
      fieldtype: 'Data',
      unique: 1,
      no_copy: 1,
      ...ro,
      insert_after: 'customer',
    },
    {
      dt,
      fieldname: f.receiptNo,
      label: 'Outpost Receipt No',
      fieldtype: 'Data',
      no_copy: 1,
      ...ro,
      insert_after: f.uuid,
    },
    {
      dt,
      fieldname: f.terminal,
      label: 'Outpost Terminal',
      fieldtype: 'Data',
      no_copy: 1,
      ...ro,
      insert_after: f.receiptNo,
    },
    {
      dt,
      fieldname: f.seq,
      label: 'Outpost Journal Seq',
      fieldtype: 'Int',
      no_copy: 1,
      ...ro,
      insert_after: f.terminal,
    },
    {
      dt,
      fieldname: f.recordHash,
      label: 'Outpost Record Hash',
      fieldtype: 'Data',
      no_copy: 1,
      ...ro,
      insert_after: f.seq,
    },
    {
      dt,
      fieldname: f.signature,
      label: 'Outpost Signature',
      fieldtype: 'Small Text',
      no_copy: 1,
      ...ro,
      insert_after: f.recordHash,
    },
    {
      dt,
      fieldname: f.keyId,
      label: 'Outpost Key Id',
      fieldtype: 'Data',
      no_copy: 1,
      ...ro,
      insert_after: f.signature,
    },
    {
      dt,
      fieldname: f.signedHeader,
      label: 'Outpost Signed Header',
      fieldtype: 'Small Text',
      no_copy: 1,
      ...ro,
      insert_after: f.keyId,
    },
    {
      dt,
      fieldname: f.signedBody,
      label: 'Outpost Signed Record',
      fieldtype: 'Long Text',
      no_copy: 1,
      ...ro,
      insert_after: f.signedHeader,
    },
  ];
}

/** Every Custom Field `erpnext-setup` installs, in install order. */
export const CUSTOM_FIELDS: readonly CustomFieldSpec[] = [
  ...saleFields('POS Invoice'),
  ...saleFields('Sales Invoice'),
  {
    dt: 'POS Opening Entry',
    fieldname: SHIFT_UUID_FIELD,
    label: 'Outpost Shift UUID',
    fieldtype: 'Data',
    unique: 1,
    no_copy: 1,
    ...ro,
    insert_after: 'pos_profile',
  },
  {
    dt: 'POS Closing Entry',
    fieldname: SHIFT_UUID_FIELD,
    label: 'Outpost Shift UUID',
    fieldtype: 'Data',
    unique: 1,
    no_copy: 1,
    ...ro,
    insert_after: 'pos_profile',
  },
  {
    dt: 'POS Closing Entry',
    fieldname: CLOSING_ANCHOR_FIELDS.terminal,
    label: 'Outpost Terminal',
    fieldtype: 'Data',
    no_copy: 1,
    ...ro,
    insert_after: SHIFT_UUID_FIELD,
  },
  {
    dt: 'POS Closing Entry',
    fieldname: CLOSING_ANCHOR_FIELDS.firstSeq,
    label: 'Outpost First Seq',
    fieldtype: 'Int',
    no_copy: 1,
    ...ro,
    insert_after: CLOSING_ANCHOR_FIELDS.terminal,
  },
  {
    dt: 'POS Closing Entry',
    fieldname: CLOSING_ANCHOR_FIELDS.lastSeq,
    label: 'Outpost Last Seq',
    fieldtype: 'Int',
    no_copy: 1,
    ...ro,
    insert_after: CLOSING_ANCHOR_FIELDS.firstSeq,
  },
  {
    dt: 'POS Closing Entry',
    fieldname: CLOSING_ANCHOR_FIELDS.headHash,
    label: 'Outpost Head Hash',
    fieldtype: 'Data',
    no_copy: 1,
    ...ro,
    insert_after: CLOSING_ANCHOR_FIELDS.lastSeq,
  },
  {
    dt: 'POS Closing Entry',
    fieldname: CLOSING_ANCHOR_FIELDS.perpetualTotal,
    label: 'Outpost Perpetual Total',
    fieldtype: 'Data',
    no_copy: 1,
    ...ro,
    insert_after: CLOSING_ANCHOR_FIELDS.headHash,
  },
  {
    dt: 'POS Closing Entry',
    fieldname: CLOSING_ANCHOR_FIELDS.signedHeader,
    label: 'Outpost Signed Header',
    fieldtype: 'Small Text',
    no_copy: 1,
    ...ro,
    insert_after: CLOSING_ANCHOR_FIELDS.perpetualTotal,
  },
  {
    dt: 'POS Closing Entry',
    fieldname: CLOSING_ANCHOR_FIELDS.signedBody,
    label: 'Outpost Signed Z Report',
    fieldtype: 'Long Text',
    no_copy: 1,
    ...ro,
    insert_after: CLOSING_ANCHOR_FIELDS.signedHeader,
  },
  {
    dt: 'POS Closing Entry',
    fieldname: CLOSING_ANCHOR_FIELDS.signature,
    label: 'Outpost Signature',
    fieldtype: 'Small Text',
    no_copy: 1,
    ...ro,
    insert_after: CLOSING_ANCHOR_FIELDS.signedBody,
  },
  {
    dt: 'POS Closing Entry',
    fieldname: CLOSING_ANCHOR_FIELDS.keyId,
    label: 'Outpost Key Id',
    fieldtype: 'Data',
    no_copy: 1,
    ...ro,
    insert_after: CLOSING_ANCHOR_FIELDS.signature,
  },
  {
    dt: 'Customer',
    fieldname: CUSTOMER_UUID_FIELD,
    label: 'Outpost Customer UUID',
    fieldtype: 'Data',
    unique: 1,
    no_copy: 1,
    ...ro,
    insert_after: 'customer_name',
  },
];
