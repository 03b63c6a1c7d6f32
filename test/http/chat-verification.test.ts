// Borrower verification in the HTTP chat against the store, on every
// dialect (spec/contracts.md: verified once two of full name, ID number or
// its last six characters, registered phone match the record):
// - name + ID tail, in one message or two; phone then tail; a tail ending in
//   X; a tail shared by two records verifies only the one whose name matches;
// - wrong pairs never verify;
// - the bot's answer never tells a partial match from no match: the same
//   reply and state for a registered and an unregistered number, a real and
//   an unknown tail, a right and a wrong name;
// - customers written before the tail index existed are found once the
//   server's backfill has indexed them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConversationParts } from '../../src/adapters/chat/chat-service.js';
import { loadConversationParts } from '../../src/adapters/chat/default-parts.js';
import { idNumberCheckChar } from '../../src/domain/dialogue/nlu/id-number.js';
import { indexIdTails } from '../../src/main/store.js';
import { DIALECTS } from '../db/dialects.js';
import { LI, WANG } from '../db/fixtures.js';
import { openStoreApp, type StoreApp } from './store-app.js';

type Turn = {
  messages: { sender: string; text: string }[];
  state: { verified: boolean; handedOff: boolean; status: string };
};

// Another (invented) person whose ID number ends in the same six
// characters as WANG's: the region code varies until the check character
// is WANG's again.
function twinIdNumber(): string {
  const rest = WANG.idNumber.slice(6, 17);
  for (let region = 110102; region < 660000; region++) {
    const first17 = `${region}${rest}`;
    if (idNumberCheckChar(first17) === WANG.idNumber[17])
      return `${first17}${WANG.idNumber[17]}`;
  }
  throw new Error('no twin ID number');
}
const TWIN = {
  name: '赵小刚',
  idNumber: twinIdNumber(),
  phone: '13700003333',
} as const;
const tail = (idNumber: string) => idNumber.slice(-6);

let parts: ConversationParts;
beforeAll(() => {
  parts = loadConversationParts();
}, 120_000);

describe.each(DIALECTS)('borrower verification on %s', (dialect) => {
  let store: StoreApp;

  beforeAll(async () => {
    store = await openStoreApp(dialect, {
      conversation: parts,
      chatStreamDelayMs: 0,
    });
    for (const person of [WANG, LI, TWIN]) {
      const created = await store.repos.customers.create(person, 'test');
      if (!created.ok) throw new Error(created.error.code);
    }
    expect(tail(TWIN.idNumber)).toBe(tail(WANG.idNumber));
    expect(TWIN.idNumber).not.toBe(WANG.idNumber);
  }, 120_000);

  afterAll(async () => {
    await store?.close();
  });

  async function start() {
    const response = await store.app.inject({
      method: 'POST',
      url: '/api/v1/chat/sessions',
    });
    expect(response.statusCode).toBe(201);
    return response.json() as { conversationId: string; token: string };
  }

  async function say(
    session: { conversationId: string; token: string },
    text: string,
  ): Promise<Turn> {
    const response = await store.app.inject({
      method: 'POST',
      url: `/api/v1/chat/sessions/${session.conversationId}/messages`,
      headers: { 'x-chat-token': session.token },
      payload: { text },
    });
    expect(response.statusCode).toBe(200);
    return response.json() as Turn;
  }

  /** Says `lines` in a fresh session; the last turn. */
  async function conversation(...lines: string[]): Promise<Turn> {
    const session = await start();
    let last: Turn | undefined;
    for (const line of lines) last = await say(session, line);
    if (last === undefined) throw new Error('no lines');
    return last;
  }

  const bot = (turn: Turn) =>
    turn.messages
      .filter((m) => m.sender === 'bot')
      .map((m) => m.text)
      .join('');

  async function customerOf(session: { conversationId: string }) {
    const response = await store.app.inject({
      url: `/api/v1/conversations/${session.conversationId}`,
      headers: store.as('agent'),
    });
    expect(response.statusCode).toBe(200);
    return (response.json() as { customer: { name: string } | null }).customer;
  }

  it('verifies with the name and the last six characters of the ID number, in one message or two, and with the phone then the tail', async () => {
    const wangTail = tail(WANG.idNumber);
    const one = await start();
    const verified = await say(
      one,
      `我叫${WANG.name}，身份证后六位${wangTail}`,
    );
    expect(verified.state.verified).toBe(true);
    expect(await customerOf(one)).toMatchObject({ name: '王*明' });

    const nameFirst = await start();
    const named = await say(nameFirst, `我叫${WANG.name}`);
    expect(named.state.verified).toBe(false);
    expect((await say(nameFirst, `后六位是${wangTail}`)).state.verified).toBe(
      true,
    );

    const phoneFirst = await start();
    expect((await say(phoneFirst, `手机号${WANG.phone}`)).state.verified).toBe(
      false,
    );
    expect(
      (await say(phoneFirst, `身份证后六位${wangTail}`)).state.verified,
    ).toBe(true);

    // A tail ending in X, typed in lower case.
    const li = await conversation(
      `${LI.name}，身份证后六位${tail(LI.idNumber).toLowerCase()}`,
    );
    expect(li.state.verified).toBe(true);
  });

  it('a tail shared by two records verifies only the one whose name matches', async () => {
    const session = await start();
    const turn = await say(
      session,
      `我是${TWIN.name}，身份证号后六位${tail(TWIN.idNumber)}`,
    );
    expect(turn.state.verified).toBe(true);
    expect(await customerOf(session)).toMatchObject({ name: '赵*刚' });
  });

  it('wrong pairs never verify', async () => {
    for (const lines of [
      [`我叫${WANG.name}，身份证后六位${tail(LI.idNumber)}`],
      [`手机号${WANG.phone}，身份证后六位${tail(LI.idNumber)}`],
      [`我叫${LI.name}，手机号${WANG.phone}`],
      [`我叫${TWIN.name}`, `手机号${WANG.phone}`],
      [`手机号${WANG.phone}`, `手机号${LI.phone}`],
    ]) {
      const turn = await conversation(...lines);
      expect(turn.state.verified, lines.join(' / ')).toBe(false);
    }
  });

  it('answers a partial match exactly as no match', async () => {
    const pairs: [string[], string[]][] = [
      // A registered phone alone, an unregistered one alone.
      [[`手机号${WANG.phone}`], ['手机号13912345678']],
      // A tail on record alone, an unknown tail alone.
      [[`身份证后六位${tail(WANG.idNumber)}`], ['身份证后六位246813']],
      // The right name with a wrong tail, a wrong name with a wrong tail.
      [
        [`我叫${WANG.name}，身份证后六位246813`],
        ['我叫钱多多，身份证后六位246813'],
      ],
      // A registered phone with a wrong name, then an account question.
      [
        [`我叫钱多多，手机号${WANG.phone}`, '我下一期要还多少钱'],
        ['我叫钱多多，手机号13912345678', '我下一期要还多少钱'],
      ],
      // An account question first, then one right factor.
      [
        ['我下一期要还多少钱', `我是${WANG.name}`],
        ['我下一期要还多少钱', '我是钱多多'],
      ],
    ];
    for (const [partial, none] of pairs) {
      const a = await conversation(...partial);
      const b = await conversation(...none);
      expect(a.state, partial.join(' / ')).toEqual(b.state);
      expect(a.state.verified).toBe(false);
      expect(bot(a), partial.join(' / ')).toBe(bot(b));
    }
  });

  it('finds customers written before the tail index once the backfill has indexed them', async () => {
    const customer = await store.repos.customers.findByIdNumber(LI.idNumber);
    if (customer === undefined) throw new Error('LI');
    await store.database.db
      .updateTable('customers')
      .set({ id_tail_bidx: null })
      .where('id', '=', customer.id)
      .execute();
    const line = `${LI.name}，身份证后六位${tail(LI.idNumber)}`;
    expect((await conversation(line)).state.verified).toBe(false);
    const done = await indexIdTails({ repositories: store.repos });
    expect(done).toEqual({ indexed: 1, failed: 0 });
    expect((await conversation(line)).state.verified).toBe(true);
    expect(await indexIdTails({ repositories: store.repos })).toEqual({
      indexed: 0,
      failed: 0,
    });
  });
});
