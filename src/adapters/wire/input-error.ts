// A refusal of caller input, shared by every adapter: the CLI prints it as one
// line (or {"id","error"} in JSONL), HTTP answers 400 with the field named.

export type JsonObject = Record<string, unknown>;

export class InputError extends Error {
  override readonly name = 'InputError';
  /** The input field at fault, when the message starts with "field: ". */
  readonly field: string | undefined;
  readonly code: string;

  constructor(message: string, code = 'input.invalid') {
    super(message);
    this.code = code;
    const match = /^([a-z_][a-z0-9_.]*): /.exec(message);
    this.field = match?.[1];
  }
}
