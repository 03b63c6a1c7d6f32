import { Tag } from 'antd';
import { createElement } from 'react';
import type { MessageKey, Translate } from '../../shared/i18n.js';

// Display labels of the ledger's identifiers (methods, loan states).

const METHOD_KEYS: Record<string, MessageKey> = {
  equal_installment: 'method.equal_installment',
  equal_principal: 'method.equal_principal',
  interest_first: 'method.interest_first',
  bullet: 'method.bullet',
  flat: 'method.flat',
};

export function methodLabel(t: Translate, method: string): string {
  const key = METHOD_KEYS[method];
  return key === undefined ? method : t(key);
}

const STATUS: Record<string, { key: MessageKey; color: string }> = {
  repaying: { key: 'loanStatus.repaying', color: 'blue' },
  overdue: { key: 'loanStatus.overdue', color: 'red' },
  collection: { key: 'loanStatus.collection', color: 'volcano' },
  restructured: { key: 'loanStatus.restructured', color: 'purple' },
  settled: { key: 'loanStatus.settled', color: 'green' },
  written_off: { key: 'loanStatus.written_off', color: 'default' },
};

export function statusTag(t: Translate, status: string) {
  const known = STATUS[status];
  return createElement(
    Tag,
    { color: known?.color ?? 'default' },
    known === undefined ? status : t(known.key),
  );
}
