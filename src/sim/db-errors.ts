/** A row with this (doctype, name) already exists: Frappe's primary-key collision. */
export class DuplicateRowError extends Error {
  constructor(
    readonly doctype: string,
    readonly docname: string,
  ) {
    super(`Duplicate entry '${docname}' for key 'PRIMARY'`);
    this.name = 'DuplicateRowError';
  }
}

/** A `unique` field already holds this value in another document of the doctype. */
export class UniqueFieldError extends Error {
  constructor(
    readonly doctype: string,
    readonly fieldname: string,
  ) {
    super(`Duplicate entry for key '${fieldname}'`);
    this.name = 'UniqueFieldError';
  }
}

/** The database file holds a bulk load (a demo seed) that never finished. */
export class InterruptedLoadError extends Error {
  constructor(readonly path: string) {
    super(
      `${path}: a bulk load (the demo seed) did not finish, so the site is incomplete; ` +
        'delete the file (and its -wal, -shm) to load it afresh',
    );
    this.name = 'InterruptedLoadError';
  }
}
