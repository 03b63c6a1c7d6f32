import { matchPath, useLocation } from '../../shared/router.js';
import { CaseView } from './case-view.js';
import { QueueView } from './queue-view.js';

// 催收工作台: the queues by bucket and their cases; a case opens its view.

export function CollectionsPage() {
  const { path } = useLocation();
  const loanNo = matchPath('/collections/cases/:loanNo', path)?.loanNo;
  return loanNo === undefined ? <QueueView /> : <CaseView loanNo={loanNo} />;
}
