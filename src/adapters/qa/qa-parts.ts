import type { Product } from '../../domain/catalogue/product.js';
import type { ComplianceEngine } from '../../domain/compliance/engine.js';
import type { Nlu } from '../../domain/dialogue/nlu/nlu.js';
import type { Rubric } from '../../domain/qa/rubric.js';
import { loadCatalogue } from '../catalogue/load-catalogue.js';
import { defaultComplianceEngine } from '../compliance/load-pack.js';
import type { Repositories } from '../db/repositories/index.js';
import { loadNlu } from '../nlu/load-nlu.js';
import { loadRubric, parseRubric } from './load-rubric.js';
import type { QaDependencies } from './score-jsonl.js';

// The engines quality inspection and training need, loaded once on first use
// (the NLU takes a moment), and the rubric in force: the last one an admin
// saved in the database, else the shipped file.

export type QaEngines = {
  readonly nlu: Nlu;
  readonly compliance: ComplianceEngine;
  readonly catalogue: readonly Product[];
};

export function lazyQaEngines(): () => QaEngines {
  let engines: QaEngines | undefined;
  return () => {
    engines ??= {
      nlu: loadNlu().nlu,
      compliance: defaultComplianceEngine(),
      catalogue: loadCatalogue(),
    };
    return engines;
  };
}

export type RubricInForce = {
  readonly rubric: Rubric;
  readonly source: 'file' | 'database';
  readonly yaml: string;
  /** Who saved it and when; undefined for the shipped file. */
  readonly saved: { readonly by: string; readonly at: string } | undefined;
};

export async function rubricInForce(
  repositories: Repositories,
  fileYaml: () => string,
): Promise<RubricInForce> {
  const stored = await repositories.qa.latestRubric();
  if (stored !== undefined)
    return {
      rubric: parseRubric(stored.body),
      source: 'database',
      yaml: stored.body,
      saved: { by: stored.createdBy, at: stored.createdAt },
    };
  const yaml = fileYaml();
  return { rubric: parseRubric(yaml), source: 'file', yaml, saved: undefined };
}

export function qaDependencies(
  engines: QaEngines,
  rubric: Rubric,
): QaDependencies {
  return { ...engines, rubric };
}

export { loadRubric };
