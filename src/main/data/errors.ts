/** Bad input: names the file, line and column so the user can fix it (or, for an argument, the field). */
export class DataError extends Error {
  /** Its typed code on the wire (src/shared/rpc.ts). */
  readonly code = 'data_error' as const;
  constructor(
    message: string,
    readonly file?: string,
    readonly line?: number,
    readonly column?: string,
  ) {
    const where = [file, line !== undefined ? `line ${line}` : undefined, column ? `${file ? 'column' : 'field'} "${column}"` : undefined]
      .filter(Boolean)
      .join(', ');
    super(where ? `${where}: ${message}` : message);
    this.name = 'DataError';
  }
}
