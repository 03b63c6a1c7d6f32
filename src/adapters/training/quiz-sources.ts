import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CalendarDate } from '../../domain/shared/calendar-date.js';
import type {
  ComplianceExample,
  QuizSources,
} from '../../domain/training/quiz.js';
import { loadCatalogue } from '../catalogue/load-catalogue.js';
import { readKnowledgeEntries } from '../knowledge/load-knowledge.js';

// What quizzes are built from: the product catalogue, the knowledge base and
// the labelled compliance development set (all LoanDesk's own content).

const DEV_SET = fileURLToPath(
  new URL('../../../content/compliance/dev-set/dev-set.jsonl', import.meta.url),
);

/**
 * Messages to a verified customer whose verdict does not depend on context:
 * compliant ones, and violations other than third-party disclosure (which is
 * a violation only to a third party).
 */
export function complianceExamples(
  path: string = DEV_SET,
): ComplianceExample[] {
  const examples: ComplianceExample[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    const entry = JSON.parse(line) as {
      text: string;
      label: string;
      expect: string;
      recipient: string;
    };
    if (
      entry.recipient !== 'customer' ||
      entry.label === 'third_party_disclosure'
    )
      continue;
    if (
      entry.label === 'compliant'
        ? entry.expect === 'pass'
        : entry.expect === 'block'
    )
      examples.push({ text: entry.text, label: entry.label });
  }
  return examples;
}

export function loadQuizSources(today: CalendarDate): QuizSources {
  return {
    products: loadCatalogue(),
    knowledge: readKnowledgeEntries(),
    complianceExamples: complianceExamples(),
    today,
  };
}
