// Programmer errors are assertions: they throw and are never caught below main.
export class AssertionError extends Error {
  override readonly name = 'AssertionError';
}

/**
 * Throws when `condition` is false. Pass a message built from values as a
 * function (`() => \`…${x}\``): it is then built only on failure, which
 * keeps asserts in hot loops free.
 */
export function assert(
  condition: unknown,
  message: string | (() => string),
): asserts condition {
  if (!condition)
    throw new AssertionError(typeof message === 'string' ? message : message());
}

export function assertNever(value: never, message: string): never {
  throw new AssertionError(`${message}: ${String(value)}`);
}
