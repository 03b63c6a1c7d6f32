import type { Kysely } from 'kysely';
import nodemailer from 'nodemailer';
import type { MessageChannel } from '../../domain/channels/template.js';
import { maskMobile } from '../../domain/compliance/pii-mask.js';
import type { FieldCipher } from '../crypto/field-cipher.js';
import type { Database } from '../db/schema.js';

// Channel providers: the one interface the dispatcher sends through, and its
// adapters — the SMS outbox table (default), a generic HTTP SMS gateway,
// SMTP e-mail (nodemailer) and the in-app inbox table.
//
// `idempotent` says whether sending the same message id twice delivers it
// once. The dispatcher relies on it after a crash between the provider call
// and the status update (docs/channels.md): an idempotent provider is simply
// called again; a non-idempotent one (SMTP has no delivery key) is not, and
// the message is marked `uncertain` for a person to check.

export type Envelope = {
  /** The outbound message id: the idempotency key at the provider. */
  readonly messageId: string;
  readonly customerId: string;
  readonly channel: MessageChannel;
  /** Phone number or e-mail address, in clear (never logged). */
  readonly to: string;
  /** E-mail subject or in-app title. */
  readonly subject: string | undefined;
  readonly body: string;
};

export type SendOutcome =
  | { readonly ok: true; readonly providerMessageId: string }
  | { readonly ok: false; readonly retryable: boolean; readonly error: string };

export type ChannelProvider = {
  readonly name: string;
  readonly channel: MessageChannel;
  readonly idempotent: boolean;
  readonly send: (envelope: Envelope) => Promise<SendOutcome>;
};

export type ChannelProviders = Readonly<
  Partial<Record<MessageChannel, ChannelProvider>>
>;

/** Default SMS provider: a row in `sms_outbox`, once per message id. */
export function createSmsOutboxProvider(
  db: Kysely<Database>,
  cipher: FieldCipher,
  now: () => string,
): ChannelProvider {
  return {
    name: 'sms_outbox',
    channel: 'sms',
    idempotent: true,
    send: async (envelope) => {
      await db
        .insertInto('sms_outbox')
        .values({
          message_id: envelope.messageId,
          phone_enc: cipher.encrypt(
            envelope.to,
            `sms_outbox.phone:${envelope.messageId}`,
          ),
          phone_masked: maskMobile(envelope.to),
          body: envelope.body,
          created_at: now(),
        })
        .onConflict((oc) => oc.column('message_id').doNothing())
        .execute();
      return { ok: true, providerMessageId: envelope.messageId };
    },
  };
}

/** In-app messages: a row in `in_app_messages` the borrower app reads. */
export function createInAppProvider(
  db: Kysely<Database>,
  now: () => string,
): ChannelProvider {
  return {
    name: 'in_app',
    channel: 'app',
    idempotent: true,
    send: async (envelope) => {
      await db
        .insertInto('in_app_messages')
        .values({
          message_id: envelope.messageId,
          customer_id: envelope.customerId,
          title: envelope.subject ?? '',
          body: envelope.body,
          created_at: now(),
          read_at: null,
        })
        .onConflict((oc) => oc.column('message_id').doNothing())
        .execute();
      return { ok: true, providerMessageId: envelope.messageId };
    },
  };
}

export type HttpSmsGatewayOptions = {
  /** The gateway's send endpoint, e.g. https://sms.example.com/v1/messages. */
  readonly url: string;
  readonly token?: string;
  readonly timeoutMs?: number;
};

const HTTP_TIMEOUT_MS = 10_000;

/**
 * A generic JSON SMS gateway: `POST url {to, text, client_ref}` with
 * `Idempotency-Key: <message id>`; a 2xx answer `{id}` is accepted, 408,
 * 429 and 5xx (and network errors) are retried, any other 4xx is final.
 * Idempotent when the gateway honours the key (say so in the operator's
 * contract); LoanDesk sends the same key on every attempt.
 */
export function createHttpSmsProvider(
  options: HttpSmsGatewayOptions,
): ChannelProvider {
  return {
    name: 'sms_http',
    channel: 'sms',
    idempotent: true,
    send: async (envelope) => {
      let response: Response;
      try {
        response = await fetch(options.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'idempotency-key': envelope.messageId,
            ...(options.token === undefined
              ? {}
              : { authorization: `Bearer ${options.token}` }),
          },
          body: JSON.stringify({
            to: envelope.to,
            text: envelope.body,
            client_ref: envelope.messageId,
          }),
          signal: AbortSignal.timeout(options.timeoutMs ?? HTTP_TIMEOUT_MS),
        });
      } catch (error) {
        return {
          ok: false,
          retryable: true,
          error: `gateway unreachable: ${(error as Error).name}`,
        };
      }
      const text = await response.text();
      if (response.ok) {
        let id = envelope.messageId;
        try {
          const parsed = JSON.parse(text) as { id?: unknown };
          if (typeof parsed.id === 'string' && parsed.id !== '') id = parsed.id;
        } catch {
          // A gateway that answers 2xx without JSON still accepted it.
        }
        return { ok: true, providerMessageId: id.slice(0, 200) };
      }
      const retryable =
        response.status === 408 ||
        response.status === 429 ||
        response.status >= 500;
      return {
        ok: false,
        retryable,
        error: `gateway answered HTTP ${response.status}`,
      };
    },
  };
}

export type SmtpOptions = {
  /** smtp://user:pass@host:port or smtps://… */
  readonly url: string;
  /** The From header, e.g. "LoanDesk 演示银行 <noreply@bank.example>". */
  readonly from: string;
};

/**
 * E-mail over SMTP with nodemailer. Not idempotent: an SMTP server has no
 * delivery key, so a message whose outcome is unknown is never resent.
 */
export function createSmtpEmailProvider(options: SmtpOptions): ChannelProvider {
  const transport = nodemailer.createTransport(options.url);
  return {
    name: 'smtp',
    channel: 'email',
    idempotent: false,
    send: async (envelope) => {
      try {
        const info = await transport.sendMail({
          from: options.from,
          to: envelope.to,
          subject: envelope.subject ?? '',
          text: envelope.body,
          messageId: `<${envelope.messageId}@loandesk.local>`,
          headers: { 'X-LoanDesk-Message-Id': envelope.messageId },
        });
        return { ok: true, providerMessageId: String(info.messageId) };
      } catch (error) {
        const code = (error as { responseCode?: unknown }).responseCode;
        // 5xx is a permanent refusal (bad address, policy); 4xx and
        // connection failures are temporary.
        const permanent = typeof code === 'number' && code >= 500;
        return {
          ok: false,
          retryable: !permanent,
          error:
            typeof code === 'number'
              ? `SMTP answered ${code}`
              : `SMTP unreachable: ${(error as { code?: string }).code ?? 'error'}`,
        };
      }
    },
  };
}

/**
 * The providers configured by the environment: SMS through the gateway at
 * LOANDESK_SMS_GATEWAY_URL (token LOANDESK_SMS_GATEWAY_TOKEN) or else the
 * outbox table; e-mail when LOANDESK_SMTP_URL is set (From:
 * LOANDESK_MAIL_FROM); in-app always.
 */
export function channelProvidersFromEnv(
  env: NodeJS.ProcessEnv,
  db: Kysely<Database>,
  cipher: FieldCipher,
  now: () => string,
): ChannelProviders {
  const gateway = env.LOANDESK_SMS_GATEWAY_URL;
  const smtp = env.LOANDESK_SMTP_URL;
  const sms =
    gateway === undefined || gateway === ''
      ? createSmsOutboxProvider(db, cipher, now)
      : createHttpSmsProvider(
          env.LOANDESK_SMS_GATEWAY_TOKEN === undefined
            ? { url: gateway }
            : { url: gateway, token: env.LOANDESK_SMS_GATEWAY_TOKEN },
        );
  const providers: Partial<Record<MessageChannel, ChannelProvider>> = {
    sms,
    app: createInAppProvider(db, now),
  };
  if (smtp !== undefined && smtp !== '')
    providers.email = createSmtpEmailProvider({
      url: smtp,
      from:
        env.LOANDESK_MAIL_FROM ?? 'LoanDesk 演示银行 <noreply@loandesk.local>',
    });
  return providers;
}
