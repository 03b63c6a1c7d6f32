import type { Command } from 'commander';
import { parseYuanStrict } from '../../../contracts/money.js';
import { parseLocalInstant } from '../../../domain/compliance/local-time.js';
import { maskPii } from '../../../domain/compliance/pii-mask.js';
import {
  CATEGORY_NAME_ZH,
  type CheckInput,
  type CheckResult,
  RECIPIENTS,
  type Recipient,
  ROLES,
  type Role,
} from '../../../domain/compliance/types.js';
import { defaultComplianceEngine } from '../../compliance/load-pack.js';
import { InputError, type JsonObject, runJsonl } from '../jsonl.js';

// `loandesk check`: the compliance verdict on one outbound message
// (spec/contracts.md). `--jsonl` is the machine contract; a positional text
// prints a readable verdict for a person.

const VERDICT_ZH = { pass: '通过', warn: '警告', block: '拦截' } as const;

function parseRole(value: unknown): Role {
  if (
    typeof value !== 'string' ||
    !(ROLES as readonly string[]).includes(value)
  ) {
    throw new InputError(`role must be one of ${ROLES.join(', ')}`);
  }
  return value as Role;
}

function parseRecipient(value: unknown): Recipient {
  if (
    typeof value !== 'string' ||
    !(RECIPIENTS as readonly string[]).includes(value)
  ) {
    throw new InputError(`recipient must be one of ${RECIPIENTS.join(', ')}`);
  }
  return value as Recipient;
}

function parseFacts(value: unknown): bigint[] | undefined {
  if (value === undefined || value === null) return undefined;
  const amounts = (value as { amounts?: unknown }).amounts;
  if (typeof value !== 'object' || !Array.isArray(amounts)) {
    throw new InputError('facts must be {"amounts": ["1234.50", …]}');
  }
  return amounts.map((amount) => {
    const parsed = parseYuanStrict(amount);
    if (!parsed.ok) throw new InputError(`facts.amounts: ${parsed.error}`);
    return parsed.value;
  });
}

/** Validates one request ({"text","role","recipient","at"?,"facts"?}). */
export function toCheckInput(input: JsonObject): CheckInput {
  if (typeof input.text !== 'string')
    throw new InputError('text must be a string');
  const check: CheckInput = {
    text: input.text,
    role: parseRole(input.role),
    recipient: parseRecipient(input.recipient ?? 'customer'),
  };
  if (input.at !== undefined && input.at !== null) {
    const at =
      typeof input.at === 'string' ? parseLocalInstant(input.at) : undefined;
    if (at === undefined)
      throw new InputError('at must be an ISO 8601 time with an offset');
    check.atMinute = at.localMinute;
  }
  const facts = parseFacts(input.facts);
  if (facts !== undefined) check.facts = { amountsFen: facts };
  return check;
}

function toWire(result: CheckResult): JsonObject {
  return {
    verdict: result.verdict,
    violations: result.violations.map((violation) => ({
      rule: violation.rule,
      category: violation.category,
      span: violation.span,
      message: violation.message,
      basis: violation.basis,
      severity: violation.severity,
      suggestion: violation.suggestion,
    })),
  };
}

function printReadable(text: string, result: CheckResult): void {
  const lines = [`判定：${VERDICT_ZH[result.verdict]}（${result.verdict}）`];
  result.violations.forEach((violation, index) => {
    // The excerpt is masked: a violation may itself be a full ID or card.
    const excerpt = maskPii(text.slice(violation.span[0], violation.span[1]));
    lines.push(
      `${index + 1}. [${violation.severity}] ${CATEGORY_NAME_ZH[violation.category]}（${violation.category}） 规则 ${violation.rule}`,
      `   原文：「${excerpt}」 位置 ${violation.span[0]}–${violation.span[1]}`,
      `   说明：${violation.message}`,
      `   依据：${violation.basis}`,
      `   建议：${violation.suggestion}`,
    );
  });
  process.stdout.write(`${lines.join('\n')}\n`);
}

export function registerCheckCommand(program: Command): void {
  program
    .command('check')
    .description('compliance check of an outbound message (合规检查)')
    .argument('[text]', 'the message to check')
    .option('--jsonl', 'read {"id","text","role","recipient"} lines from stdin')
    .option('--role <role>', 'bot | agent | collector', 'agent')
    .option(
      '--recipient <recipient>',
      'customer | unverified | third_party',
      'customer',
    )
    .option('--at <time>', 'sending time, ISO 8601 with offset')
    .action(
      async (
        text: string | undefined,
        options: {
          jsonl?: boolean;
          role: string;
          recipient: string;
          at?: string;
        },
      ) => {
        const engine = defaultComplianceEngine();
        if (options.jsonl === true) {
          await runJsonl((input) => toWire(engine.check(toCheckInput(input))));
          return;
        }
        if (text === undefined)
          throw new InputError('give a text to check, or --jsonl');
        const input = toCheckInput({
          text,
          role: options.role,
          recipient: options.recipient,
          at: options.at,
        });
        printReadable(text, engine.check(input));
      },
    );
}
