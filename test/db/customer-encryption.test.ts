// Proves customer PII is encrypted at rest and still findable: the raw rows
// hold no plaintext name, ID number or phone (in any form a DBA could grep
// for), lookups by ID number and by phone go through the blind indexes, and
// a ciphertext moved to another row refuses to decrypt.
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFieldCipher } from '../../src/adapters/crypto/field-cipher.js';
import { listAuditForSubject } from '../../src/adapters/db/repositories/audit-repository.js';
import { CustomerRepository } from '../../src/adapters/db/repositories/customer-repository.js';
import { sequentialDeps } from '../../src/adapters/db/repositories/repository-context.js';
import { assert } from '../../src/domain/shared/assert.js';
import { DIALECTS, openTestDatabase, type TestDatabase } from './dialects.js';
import { AGENT, LI, repositoriesFor, WANG } from './fixtures.js';

for (const dialect of DIALECTS) {
  describe(`customer encryption on ${dialect}`, () => {
    let t: TestDatabase;
    beforeEach(async () => {
      t = await openTestDatabase(dialect);
    });
    afterEach(async () => {
      await t.destroy();
    });

    it('stores no plaintext name, ID number or phone', async () => {
      const r = repositoriesFor(t);
      const created = await r.customers.create(WANG, AGENT);
      expect(created.ok).toBe(true);
      await r.customers.addEmergencyContact({
        customerId: created.ok ? created.value.id : '',
        name: '王大明',
        phone: '13700003333',
        relation: 'parent',
      });
      const rows = await sql<
        Record<string, unknown>
      >`select * from customers`.execute(t.db);
      const contacts = await sql<
        Record<string, unknown>
      >`select * from emergency_contacts`.execute(t.db);
      const dump = JSON.stringify([...rows.rows, ...contacts.rows], (_, v) =>
        typeof v === 'bigint' ? v.toString() : v,
      );
      for (const secret of [
        WANG.name,
        WANG.idNumber,
        WANG.phone,
        '王大明',
        '13700003333',
        // The last six of the ID number (a verification fact on its own).
        WANG.idNumber.slice(-6),
      ]) {
        expect(dump).not.toContain(secret);
      }
      expect(rows.rows).toHaveLength(1);
      expect(String(rows.rows[0]?.phone_enc)).toMatch(/^v1:/);
    });

    it('finds a customer by ID number and by phone through the blind index', async () => {
      const r = repositoriesFor(t);
      await r.customers.create(WANG, AGENT);
      await r.customers.create(LI, AGENT);
      const byId = await r.customers.findByIdNumber(' 11010519850612107x ');
      expect(byId).toMatchObject({
        name: LI.name,
        idNumber: LI.idNumber,
        phone: LI.phone,
      });
      const byPhone = await r.customers.findByPhone('+86 138 0000 1111');
      expect(byPhone.map((c) => c.name)).toEqual([WANG.name]);
      expect(
        await r.customers.findByIdNumber('110101199003071241'),
      ).toBeUndefined();
    });

    it('audits every unmasked read with who and why', async () => {
      const r = repositoriesFor(t);
      const created = await r.customers.create(WANG, AGENT);
      assert(created.ok, 'create');
      const read = await r.customers.readUnmasked(created.value.id, {
        actor: 'user_supervisor',
        reason: '客户投诉核实',
      });
      expect(read?.idNumber).toBe(WANG.idNumber);
      const audit = await listAuditForSubject(
        t.db,
        'customer',
        created.value.id,
      );
      expect(audit.map((e) => [e.action, e.actor, e.details])).toEqual([
        ['customer.create', AGENT, {}],
        ['customer.pii_read', 'user_supervisor', { reason: '客户投诉核实' }],
      ]);
    });

    it('refuses a second customer with the same ID number', async () => {
      const r = repositoriesFor(t);
      await r.customers.create(WANG, AGENT);
      const again = await r.customers.create(
        { ...WANG, phone: '13600004444' },
        AGENT,
      );
      expect(again).toEqual({
        ok: false,
        error: { code: 'customer.id_number_taken' },
      });
    });

    it('cannot find or read customers under a different key', async () => {
      const r = repositoriesFor(t);
      await r.customers.create(WANG, AGENT);
      const otherKey = new CustomerRepository(
        t.db,
        sequentialDeps('2026-11-20T00:00:00.000Z'),
        createFieldCipher(Buffer.alloc(32, 9)),
      );
      expect(await otherKey.findByIdNumber(WANG.idNumber)).toBeUndefined();
      const [row] = (
        await sql<{ id: string }>`select id from customers`.execute(t.db)
      ).rows;
      await expect(otherKey.findById(row?.id ?? '')).rejects.toThrow();
    });

    it('refuses to decrypt a ciphertext copied into another customer', async () => {
      const r = repositoriesFor(t);
      const wang = await r.customers.create(WANG, AGENT);
      const li = await r.customers.create(LI, AGENT);
      expect(wang.ok && li.ok).toBe(true);
      if (!wang.ok || !li.ok) return;
      await sql`update customers set phone_enc = (select phone_enc from customers where id = ${wang.value.id}) where id = ${li.value.id}`.execute(
        t.db,
      );
      await expect(r.customers.findById(li.value.id)).rejects.toThrow();
      expect((await r.customers.findById(wang.value.id))?.phone).toBe(
        WANG.phone,
      );
    });
  });
}
