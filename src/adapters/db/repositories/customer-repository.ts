import type { Kysely, Selectable } from 'kysely';
import type { Fen } from '../../../domain/money/fen.js';
import { assert } from '../../../domain/shared/assert.js';
import { err, ok, type Result } from '../../../domain/shared/result.js';
import {
  type FieldCipher,
  normalizeIdNumber,
  normalizePhone,
} from '../../crypto/field-cipher.js';
import type { CustomersTable, Database } from '../schema.js';
import { appendAudit } from './audit-repository.js';
import {
  inTransaction,
  type RepositoryDeps,
  toFenOrUndefined,
} from './repository-context.js';

// Customers and their emergency contacts. Name, ID number and phone are
// encrypted at rest (AES-256-GCM, bound to table, column and row id); ID
// number and phone also get HMAC blind indexes so a customer can be found by
// them without decrypting the table. Plaintext PII exists only in the
// objects this repository returns: callers mask it before it is shown or
// logged (domain/compliance pii-mask), and audit every unmasked read.

// The ID number's last characters that count as a verification factor.
const ID_TAIL_CHARS = 6;

export type NewCustomer = {
  readonly name: string;
  readonly idNumber: string;
  readonly phone: string;
  readonly monthlyIncomeFen?: Fen;
};

export type Customer = {
  readonly id: string;
  readonly name: string;
  /** Normalised: trimmed, upper-case X. */
  readonly idNumber: string;
  /** Normalised: 11 digits. */
  readonly phone: string;
  readonly monthlyIncomeFen: Fen | undefined;
  readonly createdAt: string;
};

export type EmergencyContactRelation =
  | 'spouse'
  | 'parent'
  | 'child'
  | 'sibling'
  | 'relative'
  | 'friend'
  | 'colleague'
  | 'other';

export type NewEmergencyContact = {
  readonly customerId: string;
  readonly name: string;
  readonly phone: string;
  readonly relation: EmergencyContactRelation;
};

export type EmergencyContact = NewEmergencyContact & {
  readonly id: string;
  readonly createdAt: string;
};

export type CustomerError = {
  readonly code: 'customer.id_number_taken';
};

export class CustomerRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly deps: RepositoryDeps,
    private readonly cipher: FieldCipher,
  ) {}

  private readonly context = (column: string, id: string) =>
    `customers.${column}:${id}`;

  private toCustomer(row: Selectable<CustomersTable>): Customer {
    return {
      id: row.id,
      name: this.cipher.decrypt(row.name_enc, this.context('name', row.id)),
      idNumber: this.cipher.decrypt(
        row.id_number_enc,
        this.context('id_number', row.id),
      ),
      phone: this.cipher.decrypt(row.phone_enc, this.context('phone', row.id)),
      monthlyIncomeFen: toFenOrUndefined(row.monthly_income_fen),
      createdAt: row.created_at,
    };
  }

  private readonly selectCustomers = () =>
    this.db.selectFrom('customers').selectAll();

  /** Creates a customer; refuses a second record for one ID number. */
  async create(
    input: NewCustomer,
    actor: string,
  ): Promise<Result<Customer, CustomerError>> {
    const id = this.deps.newId('cust');
    const idNumber = normalizeIdNumber(input.idNumber);
    const phone = normalizePhone(input.phone);
    assert(input.name.trim() !== '', 'customer.create: empty name');
    const idNumberBidx = this.cipher.blindIndex('id_number', idNumber);
    const at = this.deps.now();
    return inTransaction(this.db, async (tx) => {
      const taken = await tx
        .selectFrom('customers')
        .select('id')
        .where('id_number_bidx', '=', idNumberBidx)
        .executeTakeFirst();
      if (taken !== undefined) {
        return err({ code: 'customer.id_number_taken' } as const);
      }
      const row = {
        id,
        name_enc: this.cipher.encrypt(
          input.name.trim(),
          this.context('name', id),
        ),
        id_number_enc: this.cipher.encrypt(
          idNumber,
          this.context('id_number', id),
        ),
        id_number_bidx: idNumberBidx,
        phone_enc: this.cipher.encrypt(phone, this.context('phone', id)),
        phone_bidx: this.cipher.blindIndex('phone', phone),
        id_tail_bidx: this.idTailIndex(idNumber),
        monthly_income_fen: input.monthlyIncomeFen ?? null,
        created_at: at,
        updated_at: at,
      };
      await tx.insertInto('customers').values(row).execute();
      await appendAudit(
        tx,
        {
          actor,
          action: 'customer.create',
          subjectType: 'customer',
          subjectId: id,
          details: {},
        },
        at,
      );
      return ok(this.toCustomer(row));
    });
  }

  async findById(id: string): Promise<Customer | undefined> {
    const row = await this.selectCustomers()
      .where('id', '=', id)
      .executeTakeFirst();
    return row === undefined ? undefined : this.toCustomer(row);
  }

  /**
   * Reads a customer for an unmasked display and audits the read
   * (`customer.pii_read`, with who and why) in the same transaction. Basis:
   * 《个人信息保护法》Art. 51 — operating permissions over personal
   * information are limited and controlled, which needs a record of use.
   */
  async readUnmasked(
    id: string,
    who: { readonly actor: string; readonly reason: string },
  ): Promise<Customer | undefined> {
    assert(who.actor !== '' && who.reason !== '', 'readUnmasked: who/why');
    return inTransaction(this.db, async (tx) => {
      const row = await tx
        .selectFrom('customers')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst();
      if (row === undefined) return undefined;
      await appendAudit(
        tx,
        {
          actor: who.actor,
          action: 'customer.pii_read',
          subjectType: 'customer',
          subjectId: id,
          details: { reason: who.reason },
        },
        this.deps.now(),
      );
      return this.toCustomer(row);
    });
  }

  /** Finds by ID number through its blind index (no table scan, no decrypt). */
  async findByIdNumber(idNumber: string): Promise<Customer | undefined> {
    const bidx = this.cipher.blindIndex(
      'id_number',
      normalizeIdNumber(idNumber),
    );
    const row = await this.selectCustomers()
      .where('id_number_bidx', '=', bidx)
      .executeTakeFirst();
    return row === undefined ? undefined : this.toCustomer(row);
  }

  private idTailIndex(idNumber: string): string {
    return this.cipher.blindIndex('id_tail', idNumber.slice(-ID_TAIL_CHARS));
  }

  /**
   * Customers whose ID number ends in `tail` (its last six characters),
   * through the tail's blind index; at most `limit` (a tail is shared by a
   * few records in a large book, never meant to identify one alone).
   */
  async findByIdTail(tail: string, limit: number): Promise<Customer[]> {
    const normalized = normalizeIdNumber(tail);
    if (normalized.length !== ID_TAIL_CHARS) return [];
    const rows = await this.selectCustomers()
      .where('id_tail_bidx', '=', this.cipher.blindIndex('id_tail', normalized))
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map((row) => this.toCustomer(row));
  }

  /**
   * Writes the ID-tail blind index of up to `batch` customers after
   * `afterId` that have none (rows from before the index existed). `lastId`
   * is where the next batch starts; undefined when done. A row that does
   * not decrypt is counted, not indexed.
   */
  async indexIdTails(
    batch: number,
    afterId?: string,
  ): Promise<{ indexed: number; failed: number; lastId?: string }> {
    let query = this.db
      .selectFrom('customers')
      .select(['id', 'id_number_enc'])
      .where('id_tail_bidx', 'is', null);
    if (afterId !== undefined) query = query.where('id', '>', afterId);
    const rows = await query.orderBy('id').limit(batch).execute();
    let indexed = 0;
    let failed = 0;
    await inTransaction(this.db, async (tx) => {
      for (const row of rows) {
        let idNumber: string;
        try {
          idNumber = this.cipher.decrypt(
            row.id_number_enc,
            this.context('id_number', row.id),
          );
        } catch {
          failed += 1;
          continue;
        }
        await tx
          .updateTable('customers')
          .set({ id_tail_bidx: this.idTailIndex(idNumber) })
          .where('id', '=', row.id)
          .execute();
        indexed += 1;
      }
    });
    const last = rows.at(-1)?.id;
    return {
      indexed,
      failed,
      ...(rows.length < batch || last === undefined ? {} : { lastId: last }),
    };
  }

  /** Customers registered with this phone (a phone can be shared). */
  async findByPhone(phone: string): Promise<Customer[]> {
    const bidx = this.cipher.blindIndex('phone', normalizePhone(phone));
    const rows = await this.selectCustomers()
      .where('phone_bidx', '=', bidx)
      .orderBy('id')
      .execute();
    return rows.map((row) => this.toCustomer(row));
  }

  async addEmergencyContact(
    input: NewEmergencyContact,
  ): Promise<EmergencyContact> {
    const id = this.deps.newId('ec');
    const phone = normalizePhone(input.phone);
    const ctx = (column: string) => `emergency_contacts.${column}:${id}`;
    const createdAt = this.deps.now();
    await this.db
      .insertInto('emergency_contacts')
      .values({
        id,
        customer_id: input.customerId,
        name_enc: this.cipher.encrypt(input.name.trim(), ctx('name')),
        phone_enc: this.cipher.encrypt(phone, ctx('phone')),
        phone_bidx: this.cipher.blindIndex('phone', phone),
        relation: input.relation,
        created_at: createdAt,
      })
      .execute();
    return { ...input, name: input.name.trim(), phone, id, createdAt };
  }

  async listEmergencyContacts(customerId: string): Promise<EmergencyContact[]> {
    const rows = await this.db
      .selectFrom('emergency_contacts')
      .selectAll()
      .where('customer_id', '=', customerId)
      .orderBy('id')
      .execute();
    return rows.map((row) => ({
      id: row.id,
      customerId: row.customer_id,
      name: this.cipher.decrypt(
        row.name_enc,
        `emergency_contacts.name:${row.id}`,
      ),
      phone: this.cipher.decrypt(
        row.phone_enc,
        `emergency_contacts.phone:${row.id}`,
      ),
      relation: row.relation as EmergencyContactRelation,
      createdAt: row.created_at,
    }));
  }
}
