import type { Command } from 'commander';
import type {
  KnowledgeAnswer,
  KnowledgeBase,
} from '../../../domain/knowledge/retrieve.js';
import {
  CHAT_TURN_CHARS_MAX,
  RETRIEVE_TOP_K_MAX,
} from '../../../domain/shared/limits.js';
import { loadKnowledgeBase } from '../../knowledge/load-knowledge.js';
import { InputError, type JsonObject, runJsonl } from '../jsonl.js';

// `loandesk kb ask "问题"`: the FAQ answer to one question, for people
// (readable) and scripts (`--json`, `--jsonl`). Below the calibrated
// confidence there is no answer: the bot hands over to a person instead.

function readQuestion(value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new InputError('question: must be a non-empty string');
  }
  if (value.length > CHAT_TURN_CHARS_MAX) {
    throw new InputError(
      `question: longer than ${CHAT_TURN_CHARS_MAX} characters`,
    );
  }
  return value;
}

function readTop(value: string | undefined): number {
  if (value === undefined) return 1;
  const top = Number(value);
  if (!Number.isInteger(top) || top < 1 || top > RETRIEVE_TOP_K_MAX) {
    throw new InputError(`--top: must be an integer 1..${RETRIEVE_TOP_K_MAX}`);
  }
  return top;
}

const round = (confidence: number): number =>
  Math.round(confidence * 1000) / 1000;

/** The wire answer: the entry, or `entry_id: null` below the threshold. */
export function kbAnswer(kb: KnowledgeBase, question: string): JsonObject {
  const found = kb.answer(question);
  if (found === undefined) {
    const best = kb.search(question, 1)[0];
    return {
      entry_id: null,
      answer: null,
      confidence: round(best?.confidence ?? 0),
      matched: null,
    };
  }
  return {
    entry_id: found.entryId,
    answer: found.answer,
    confidence: round(found.confidence),
    matched: found.matched,
  };
}

function printReadable(
  kb: KnowledgeBase,
  candidates: readonly KnowledgeAnswer[],
): void {
  const [best, ...others] = candidates;
  const lines: string[] = [];
  if (best === undefined || best.confidence < kb.confidenceMin) {
    const shown = round(best?.confidence ?? 0);
    lines.push(
      `未找到可靠答案（置信度 ${shown}，低于 ${kb.confidenceMin}），建议转人工客服。`,
    );
  } else {
    lines.push(best.answer, '');
    lines.push(
      `条目 ${best.entryId} · 置信度 ${round(best.confidence)} · 匹配问法「${best.matched}」`,
    );
  }
  for (const other of others) {
    lines.push(
      `  其他候选 ${other.entryId} · 置信度 ${round(other.confidence)} · 「${other.matched}」`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

type AskFlags = { json?: boolean; top?: string };

export function registerKbCommand(program: Command): void {
  const kb = program
    .command('kb')
    .description('知识库：FAQ question answering (问答)');
  kb.command('ask')
    .description('answer one question from the FAQ (知识库问答)')
    .argument('[question]', 'the question, in Chinese')
    .option('--json', 'print {"entry_id","answer","confidence","matched"}')
    .option('--jsonl', 'read {"id","question"} lines from stdin')
    .option(
      '--top <n>',
      `also list the next candidates (1..${RETRIEVE_TOP_K_MAX})`,
    )
    .action(
      async (
        question: string | undefined,
        flags: AskFlags & { jsonl?: boolean },
      ) => {
        const top = readTop(flags.top);
        if (flags.jsonl === true) {
          const base = loadKnowledgeBase();
          await runJsonl((input) =>
            kbAnswer(base, readQuestion(input.question)),
          );
          return;
        }
        const text = readQuestion(question);
        const base = loadKnowledgeBase();
        if (flags.json === true) {
          process.stdout.write(`${JSON.stringify(kbAnswer(base, text))}\n`);
          return;
        }
        printReadable(base, base.search(text, top));
      },
    );
}
