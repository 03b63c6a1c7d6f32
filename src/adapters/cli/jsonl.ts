import { createInterface } from 'node:readline';
import { JSONL_LINE_BYTES_MAX } from '../../domain/shared/limits.js';
import { InputError, type JsonObject } from '../wire/input-error.js';

// The JSONL contract (spec/contracts.md): one JSON object per input line, one
// answer per line in the same order with the same id, and a bad line answered
// with {"id", "error"} instead of stopping the batch.

export { InputError, type JsonObject } from '../wire/input-error.js';

export type LineHandler = (
  input: JsonObject,
) => JsonObject | Promise<JsonObject>;

/** Answers one parsed line: the handler's output, or {"id","error"}. */
export async function answerLine(
  line: string,
  handler: LineHandler,
): Promise<JsonObject> {
  if (Buffer.byteLength(line, 'utf8') > JSONL_LINE_BYTES_MAX) {
    return {
      id: null,
      error: `line longer than ${JSONL_LINE_BYTES_MAX} bytes`,
    };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return { id: null, error: 'line is not valid JSON' };
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return { id: null, error: 'line is not a JSON object' };
  }
  const input = parsed as JsonObject;
  const id = input.id ?? null;
  try {
    const output = await handler(input);
    return { id, ...output };
  } catch (error) {
    if (error instanceof InputError) return { id, error: error.message };
    throw error;
  }
}

/** Reads stdin line by line and writes one JSON answer per non-empty line. */
export async function runJsonl(
  handler: LineHandler,
  input: NodeJS.ReadableStream = process.stdin,
  output: NodeJS.WritableStream = process.stdout,
): Promise<void> {
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of lines) {
    if (line.trim() === '') continue;
    const answer = await answerLine(line, handler);
    output.write(`${JSON.stringify(answer)}\n`);
  }
}

/** Reads all of stdin as one UTF-8 string. */
export async function readStdin(
  input: NodeJS.ReadableStream = process.stdin,
): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of input) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Parses a single JSON object (non-JSONL mode); throws InputError with a
 * one-line message when it is not one.
 */
export function parseSingleObject(text: string): JsonObject {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new InputError('input is not valid JSON');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new InputError('input is not a JSON object');
  }
  return parsed as JsonObject;
}
