import { assert } from '../../shared/assert.js';
import { TEMPLATES, type TemplateId } from './templates.js';

export type TemplateVars = Readonly<Record<string, string | number>>;

const PLACEHOLDER = /\{([a-zA-Z]+)\}/g;

/**
 * Fills one wording of a template. `variant` picks the wording (the engine
 * passes the turn number, so wording varies without randomness).
 *
 * @example
 * renderReply('schedule_remaining', { principal: '1200.00' }, 0);
 * // '目前剩余未还本金1200.00元。'
 */
export function renderReply(
  id: TemplateId,
  vars: TemplateVars,
  variant: number,
): string {
  const wordings: readonly string[] = TEMPLATES[id];
  assert(wordings.length > 0, `renderReply: template ${id} has no wording`);
  const index = Math.abs(Math.trunc(variant)) % wordings.length;
  const wording = wordings[index] ?? '';
  return wording.replace(PLACEHOLDER, (_, key: string) => {
    const value = vars[key];
    assert(value !== undefined, `renderReply: ${id} needs {${key}}`);
    return String(value);
  });
}
