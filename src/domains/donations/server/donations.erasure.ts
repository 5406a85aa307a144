import { withOwnerRights } from '../../../platform/context.ts';
import { forgetParty } from '../../ledger/server/ledger.append.ts';
import { registerErasureHook } from '../../people/server/people.service.ts';

/**
 * When a person is erased, the salts behind the ledger's commitments to them as a donor are dropped
 * (docs/decisions/0012): the public entries stay, but nobody — not even we — can link them to the
 * person any more. Donor records of every county are reached: erasure is of the person, not of one
 * county's copy.
 */
export function registerDonationErasure() {
  registerErasureHook('donations', async (_ctx, trx, personId) => {
    await withOwnerRights(trx, async (t) => {
      const donors = await t.selectFrom('donor').select(['id']).where('person_id', '=', personId).execute();
      for (const d of donors) await forgetParty(t, 'donor', d.id);
    });
  });
}
