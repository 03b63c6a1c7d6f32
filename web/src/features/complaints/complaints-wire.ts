// Wire shape of a complaint ticket, from the complaints API's contract
// (types only: no schema code reaches the bundle).
import type { ComplaintOutput } from '../../../../src/contracts/channels.js';

export type Complaint = ComplaintOutput;
