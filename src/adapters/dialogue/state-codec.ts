// The dialogue state as stored text (chat_sessions.dialogue_state). Amounts
// in the needs form are bigint fen, which JSON cannot carry: they are
// written as {"$fen": "123400"} and read back as bigint.
import type { DialogueState } from '../../domain/dialogue/policy/types.js';
import { assert } from '../../domain/shared/assert.js';

const FEN_TAG = '$fen';

export function encodeDialogueState(state: DialogueState): string {
  return JSON.stringify(state, (_key, value: unknown) =>
    typeof value === 'bigint' ? { [FEN_TAG]: value.toString() } : value,
  );
}

export function decodeDialogueState(text: string): DialogueState {
  const parsed: unknown = JSON.parse(text, (_key, value: unknown) => {
    if (
      value !== null &&
      typeof value === 'object' &&
      !Array.isArray(value) &&
      Object.keys(value).length === 1 &&
      typeof (value as Record<string, unknown>)[FEN_TAG] === 'string'
    )
      return BigInt((value as Record<string, string>)[FEN_TAG] as string);
    return value;
  });
  assert(
    parsed !== null &&
      typeof parsed === 'object' &&
      typeof (parsed as { turns?: unknown }).turns === 'number' &&
      Array.isArray((parsed as { factorsMatched?: unknown }).factorsMatched),
    'decodeDialogueState: not a dialogue state',
  );
  return parsed as DialogueState;
}
