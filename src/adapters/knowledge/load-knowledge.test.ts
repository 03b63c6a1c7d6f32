// Proves the shipped knowledge content and its retrieval: the FAQ is large
// enough and covers the whole loan life; held-out paraphrases (never
// indexed) reach their entries; held-out out-of-domain questions are
// refused; every answer passes the compliance engine as a bot message to an
// unverified customer (the strictest recipient a FAQ answer meets); and a
// broken content file names itself.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type {
  KnowledgeBase,
  KnowledgeEntry,
} from '../../domain/knowledge/retrieve.js';
import { defaultComplianceEngine } from '../compliance/load-pack.js';
import {
  createKnowledgeTools,
  KNOWLEDGE_DIR_DEFAULT,
  type LabelledQuestion,
  loadKnowledgeBase,
  parseFaqFile,
  readKnowledgeEntries,
  readLabelledQuestions,
} from './load-knowledge.js';

const heldOut = (name: string): LabelledQuestion[] =>
  readLabelledQuestions(join(KNOWLEDGE_DIR_DEFAULT, 'held-out', name));

// Required by issue 4: the FAQ spans the whole loan life.
const TOPICS_REQUIRED = [
  'application',
  'materials',
  'approval',
  'disbursement',
  'repayment',
  'early-repayment',
  'overdue',
  'credit-report',
  'negotiation',
  'complaints',
  'fraud',
  'privacy',
];

function topOneRate(kb: KnowledgeBase, questions: LabelledQuestion[]) {
  const right = questions.filter(
    ({ question, entryId }) => kb.answer(question)?.entryId === entryId,
  );
  return right.length / questions.length;
}

describe('knowledge content', () => {
  let entries: KnowledgeEntry[];
  let kb: KnowledgeBase;
  beforeAll(() => {
    entries = readKnowledgeEntries();
    kb = loadKnowledgeBase(KNOWLEDGE_DIR_DEFAULT, createKnowledgeTools());
  });

  it('holds at least 150 entries, each with several phrasings', () => {
    expect(entries.length).toBeGreaterThanOrEqual(150);
    for (const entry of entries) {
      expect(entry.questions.length, entry.id).toBeGreaterThanOrEqual(3);
    }
  });

  it('covers every stage of the loan life', () => {
    const topics = new Set(entries.map((entry) => entry.topic));
    for (const topic of TOPICS_REQUIRED) expect(topics).toContain(topic);
  });

  it('states the 15-day complaint decision rule', () => {
    const deadline = entries.find((entry) => entry.id === 'complaint-deadline');
    expect(deadline?.answer).toContain('15日');
  });

  it('never indexes a held-out question', () => {
    const indexed = new Set(entries.flatMap((entry) => entry.questions));
    const ids = new Set(entries.map((entry) => entry.id));
    for (const name of [
      'paraphrases.yaml',
      'blind.yaml',
      'out-of-domain.yaml',
    ]) {
      for (const { question, entryId } of heldOut(name)) {
        expect(indexed.has(question), question).toBe(false);
        if (entryId !== null) expect(ids.has(entryId), entryId).toBe(true);
      }
    }
  });

  it('answers most development paraphrases with their entry', () => {
    // Measured 85 % when written; the floor leaves room for new entries.
    expect(topOneRate(kb, heldOut('paraphrases.yaml'))).toBeGreaterThanOrEqual(
      0.8,
    );
  });

  it('answers most blind paraphrases with their entry', () => {
    // First scored as written: 58 of 69 top-1 (84 %); its misses never drove
    // a content change.
    expect(topOneRate(kb, heldOut('blind.yaml'))).toBeGreaterThanOrEqual(0.75);
  });

  it('refuses every held-out out-of-domain question', () => {
    for (const { question } of heldOut('out-of-domain.yaml')) {
      expect(kb.answer(question), question).toBeUndefined();
    }
  });

  it('passes the compliance engine with every answer', () => {
    const engine = defaultComplianceEngine();
    for (const entry of entries) {
      const result = engine.check({
        text: entry.answer,
        role: 'bot',
        recipient: 'unverified',
      });
      expect(
        result.verdict,
        `${entry.id}: ${JSON.stringify(result.violations)}`,
      ).toBe('pass');
    }
  });
});

describe('FAQ file parsing', () => {
  it('names the file and the field of a broken entry', () => {
    const text =
      'topic: demo\nentries:\n  - id: demo-one\n    questions: []\n    answer: 好的\n';
    expect(() => parseFaqFile('demo.yaml', text)).toThrow(
      /demo\.yaml: demo-one\.questions/,
    );
  });

  it('rejects an id that is not kebab-case', () => {
    const text =
      'topic: demo\nentries:\n  - id: Demo_One\n    questions: [问]\n    answer: 答\n';
    expect(() => parseFaqFile('demo.yaml', text)).toThrow(/kebab-case/);
  });

  it('reads the topic onto every entry', () => {
    const text =
      'topic: demo\nentries:\n  - id: demo-one\n    questions: [问一, 问二]\n    answer: 答\n';
    expect(parseFaqFile('demo.yaml', text)).toEqual([
      {
        id: 'demo-one',
        topic: 'demo',
        questions: ['问一', '问二'],
        answer: '答',
      },
    ]);
  });
});
