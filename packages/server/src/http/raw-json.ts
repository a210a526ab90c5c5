/**
 * A response body that is already JSON (hot paths that serialise by hand): text, or its UTF-8
 * bytes, which are sent as they are (no length to measure, no string to encode).
 */
export class RawJson {
  constructor(readonly body: string | Buffer) {}

  /** The JSON as text, for callers that parse it again. */
  get text(): string {
    return typeof this.body === 'string' ? this.body : this.body.toString('utf8');
  }
}
