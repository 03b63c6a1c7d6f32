// Proves the catalogue's early-repayment fee terms: the shipped catalogue's
// machine terms (what the ledger charges) say what its sentence (what the
// bot says) says, product by product; malformed terms stop the load with
// the field named.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatRate } from '../../domain/money/rate.js';
import {
  CATALOGUE_PATH,
  loadCatalogue,
  parseCatalogue,
} from './load-catalogue.js';

describe('catalogue prepayment fee terms', () => {
  it('match the sentence the bot quotes for every shipped product', () => {
    const products = loadCatalogue();
    expect(products.length).toBeGreaterThan(0);
    for (const product of products) {
      const terms = product.prepaymentFee;
      const sentence = product.prepaymentFeeZh;
      if (terms === undefined || terms.kind === 'none') {
        expect(sentence, product.code).toContain('免收违约金');
        expect(sentence, product.code).not.toMatch(/\d+%/);
        continue;
      }
      expect(sentence, product.code).toContain(
        `满${terms.freeAfterMonths}个月`,
      );
      if (terms.kind === 'share_of_prepaid') {
        const percent = formatRate(
          {
            numerator: terms.shareOfPrincipal.numerator * 100n,
            denominator: terms.shareOfPrincipal.denominator,
          },
          4,
        ).replace(/\.?0+$/, '');
        expect(sentence, product.code).toContain(`${percent}%`);
      }
    }
    // The demo catalogue has both kinds.
    expect(
      products.some((p) => p.prepaymentFee?.kind === 'share_of_prepaid'),
    ).toBe(true);
  });

  it('stops the load on malformed terms, naming the field', () => {
    const text = readFileSync(CATALOGUE_PATH, 'utf8');
    const broken = text.replace('share: "0.01"', 'share: "1%"');
    expect(broken).not.toBe(text);
    expect(() => parseCatalogue(broken)).toThrow(/prepayment_fee/);
    const missing = text.replace(/\n\s*prepayment_fee: \{ kind: none \}/, '');
    expect(missing).not.toBe(text);
    expect(() => parseCatalogue(missing)).toThrow(/prepayment_fee/);
  });
});
