/** A profile value refused: names the field (`domain`, `tls.sni`, `inbound.allowFrom.0`). */
export class ProfileError extends Error {
  override name = 'ProfileError';
  readonly field: string;
  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.field = field;
  }
}
