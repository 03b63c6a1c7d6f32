import type { DialogueState } from './types.js';

/** The state of a new session: nothing verified, no form, no flags. */
export function initialDialogueState(): DialogueState {
  return {
    turns: 0,
    factorsMatched: [],
    verified: false,
    thirdParty: false,
    form: undefined,
    pendingIntent: undefined,
    riskFlags: [],
    fraudFlags: [],
    lowConfidenceStreak: 0,
    angryStreak: 0,
    handedOff: false,
  };
}
