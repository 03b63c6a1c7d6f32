import type { Kysely } from 'kysely';
import type { TemplateSet } from '../../domain/channels/template.js';
import type { ComplaintPolicy } from '../../domain/complaints/deadlines.js';
import type { ContactPolicy } from '../../domain/compliance/contact-policy.js';
import type { ComplianceEngine } from '../../domain/compliance/engine.js';
import { defaultContactPolicy } from '../compliance/load-contact-policy.js';
import { defaultComplianceEngine } from '../compliance/load-pack.js';
import type { FieldCipher } from '../crypto/field-cipher.js';
import {
  type AuditEntryInput,
  appendAudit,
} from '../db/repositories/audit-repository.js';
import type { Repositories } from '../db/repositories/index.js';
import type { Database } from '../db/schema.js';
import {
  type ChannelConfig,
  defaultComplaintPolicy,
  loadChannelConfig,
  loadTemplates,
} from './load-channel-content.js';
import { type ChannelProviders, channelProvidersFromEnv } from './providers.js';

// Everything the dispatcher and the complaint desk need besides the
// database: content (templates, channel config, complaint policy), the
// compliance engine and contact policy, and the providers. Built once by
// the composition root (server, CLI) or by a test.

export type ChannelRuntime = {
  readonly templates: TemplateSet;
  readonly config: ChannelConfig;
  readonly complaintPolicy: ComplaintPolicy;
  readonly contactPolicy: ContactPolicy;
  readonly engine: ComplianceEngine;
  readonly providers: ChannelProviders;
};

export type ChannelRuntimeOptions = {
  readonly db: Kysely<Database>;
  readonly cipher: FieldCipher;
  readonly env?: NodeJS.ProcessEnv;
  /** Providers to use instead of the environment's (tests). */
  readonly providers?: ChannelProviders;
  /** LOANDESK_TEMPLATES_FILE overrides the shipped templates. */
  readonly templatesFile?: string;
};

export function createChannelRuntime(
  options: ChannelRuntimeOptions,
): ChannelRuntime {
  const env = options.env ?? process.env;
  const templatesFile = options.templatesFile ?? env.LOANDESK_TEMPLATES_FILE;
  return {
    templates:
      templatesFile === undefined || templatesFile === ''
        ? loadTemplates()
        : loadTemplates(templatesFile),
    config: loadChannelConfig(),
    complaintPolicy: defaultComplaintPolicy(),
    contactPolicy: defaultContactPolicy(),
    engine: defaultComplianceEngine(),
    providers:
      options.providers ??
      channelProvidersFromEnv(env, options.db, options.cipher, () =>
        new Date().toISOString(),
      ),
  };
}

export type Audit = (entry: AuditEntryInput) => Promise<void>;

/** The use-case dependencies over one database (see src/app/channels). */
export function channelDeps(
  runtime: ChannelRuntime,
  db: Kysely<Database>,
  repositoriesOver: (db: Kysely<Database>) => Repositories,
  now: () => string = () => new Date().toISOString(),
) {
  return {
    ...runtime,
    repositories: repositoriesOver(db),
    transaction: <T>(
      work: (repositories: Repositories, audit: Audit) => Promise<T>,
    ): Promise<T> =>
      db.transaction().execute((tx) =>
        work(repositoriesOver(tx), async (entry) => {
          await appendAudit(tx, entry, now());
        }),
      ),
  };
}
