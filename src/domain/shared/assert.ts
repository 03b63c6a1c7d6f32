// Programmer errors are assertions: they throw and are never caught below main.
export class AssertionError extends Error {
  override readonly name = 'AssertionError';
}

export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new AssertionError(message);
}

export function assertNever(value: never, message: string): never {
  throw new AssertionError(`${message}: ${String(value)}`);
}
