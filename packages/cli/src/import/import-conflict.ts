/** Data already in Trove that differs from what the source holds: the import stops instead of overwriting it. */
export class ImportConflict extends Error {
  constructor(message: string) {
    super(`conflict: ${message}`);
    this.name = 'ImportConflict';
  }
}
