/** A response body that is already JSON text (hot paths that serialise by hand). */
export class RawJson {
  constructor(readonly text: string) {}
}
