// Proves the books balance, from the rows themselves:
// - money: party and fee balances (available + held) = deposits - payouts,
//   and every account's balance equals its credits minus its debits, and its
//   held amount equals its pending holds;
// - settlements: every settled purchase has its posted hold for the price,
//   transfers adding up to the price (the fee to the exchange), its licence or
//   assignment, and its ledger entry; no voided hold moved money;
// - payments: each settlement's money came from its buyer and went to its
//   payees in the planned parts (settlement-payments.ts);
// - every licence has its row in licence_exclusion, which is what makes an
//   exclusive licence exclusive.
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { paymentProblem, type PaymentProblem, type SettlementPayments } from './settlement-payments.js';

export interface Reconciliation {
  ok: boolean;
  asOf: string;
  totals: {
    deposits: string;
    payouts: string;
    balances: string;
    available: string;
    pendingHolds: string;
    settlementBank: string;
    exchangeFees: string;
    settlements: number;
    licences: number;
    assignments: number;
    voidedHolds: number;
  };
  checks: Array<{ name: string; ok: boolean; problems: unknown[] }>;
}

const LIMIT = 100;
/** Settlements read per round trip by the payment check. */
const PAGE = 5_000;

@Injectable()
export class ReconciliationQuery {
  constructor(private readonly dataSource: DataSource) {}

  /** One REPEATABLE READ snapshot, so concurrent trading cannot make the books look unbalanced. */
  async execute(): Promise<Reconciliation> {
    return this.dataSource.transaction('REPEATABLE READ', async (manager) => {
      const q = <T>(text: string): Promise<T[]> => manager.query(text);
      const [totals] = await q<Record<string, string>>(`
        SELECT
          (SELECT coalesce(sum(amount), 0) FROM transfers WHERE kind = 'deposit')::text AS deposits,
          (SELECT coalesce(sum(amount), 0) FROM transfers WHERE kind = 'payout')::text AS payouts,
          (SELECT coalesce(sum(balance), 0) FROM accounts WHERE kind <> 'settlement_bank')::text AS balances,
          (SELECT coalesce(sum(balance - held), 0) FROM accounts WHERE kind <> 'settlement_bank')::text AS available,
          (SELECT coalesce(sum(held), 0) FROM accounts)::text AS held,
          (SELECT coalesce(sum(amount), 0) FROM holds WHERE status = 'pending')::text AS pending_holds,
          (SELECT balance FROM accounts WHERE kind = 'settlement_bank')::text AS bank,
          (SELECT sum(balance) FROM accounts WHERE kind = 'exchange_fee')::text AS fees,
          (SELECT coalesce(sum(balance), 0) FROM accounts)::text AS all_accounts,
          (SELECT count(*) FROM settlements)::int AS settlements,
          (SELECT count(*) FROM licences)::int AS licences,
          (SELECT count(*) FROM assignments)::int AS assignments,
          (SELECT count(*) FROM holds WHERE status = 'voided')::int AS voided`);
      const deposits = BigInt(totals.deposits);
      const payouts = BigInt(totals.payouts);
      const checks: Reconciliation['checks'] = [];
      const check = (name: string, problems: unknown[]) => checks.push({ name, ok: problems.length === 0, problems });

      check(
        'available + pending holds = deposits - payouts',
        BigInt(totals.available) + BigInt(totals.pending_holds) === deposits - payouts && BigInt(totals.held) === BigInt(totals.pending_holds)
          ? []
          : [{ available: totals.available, pendingHolds: totals.pending_holds, held: totals.held, depositsMinusPayouts: (deposits - payouts).toString() }],
      );
      check('double entry: all balances sum to zero', BigInt(totals.all_accounts) === 0n ? [] : [{ sum: totals.all_accounts }]);
      check(
        'every balance = its credits - its debits',
        await q(`
          SELECT a.id AS "accountId", a.balance::text AS balance, (coalesce(c.total, 0) - coalesce(d.total, 0))::text AS "fromTransfers"
            FROM accounts a
            LEFT JOIN (SELECT credit_account_id AS id, sum(amount) AS total FROM transfers GROUP BY 1) c ON c.id = a.id
            LEFT JOIN (SELECT debit_account_id AS id, sum(amount) AS total FROM transfers GROUP BY 1) d ON d.id = a.id
           WHERE a.balance <> coalesce(c.total, 0) - coalesce(d.total, 0) LIMIT ${LIMIT}`),
      );
      check(
        'every held amount = its pending holds',
        await q(`
          SELECT a.id AS "accountId", a.held::text AS held, coalesce(h.total, 0)::text AS "pendingHolds"
            FROM accounts a LEFT JOIN (SELECT account_id, sum(amount) AS total FROM holds WHERE status = 'pending' GROUP BY 1) h ON h.account_id = a.id
           WHERE a.held <> coalesce(h.total, 0) LIMIT ${LIMIT}`),
      );
      check(
        'every settlement has its posted hold, transfers, licence or assignment, and ledger entry',
        await q(`
          SELECT s.id AS "settlementId",
                 h.status AS "holdStatus", h.amount::text AS "holdAmount", s.price::text AS price,
                 coalesce(t.total, 0)::text AS transferred, coalesce(t.fee, 0)::text AS "feeTransferred", s.fee::text AS fee,
                 (l.id IS NOT NULL) AS "hasLicence", (a.id IS NOT NULL) AS "hasAssignment",
                 (e.entry_id IS NOT NULL OR qd.id IS NOT NULL) AS "hasLedgerEntry"
            FROM settlements s
            LEFT JOIN holds h ON h.settlement_id = s.id
            LEFT JOIN (SELECT settlement_id, sum(amount) AS total, sum(amount) FILTER (WHERE kind = 'exchange_fee') AS fee
                         FROM transfers WHERE settlement_id IS NOT NULL GROUP BY 1) t ON t.settlement_id = s.id
            LEFT JOIN licences l ON l.settlement_id = s.id AND l.entry_id = s.entry_id
            LEFT JOIN assignments a ON a.settlement_id = s.id AND a.entry_id = s.entry_id
            LEFT JOIN ledger_entries e ON e.entry_id = s.entry_id
            LEFT JOIN ledger_queue qd ON qd.id = s.entry_id
           WHERE h.status IS DISTINCT FROM 'posted' OR h.amount <> s.price OR coalesce(t.total, 0) <> s.price
              OR coalesce(t.fee, 0) <> s.fee OR (s.kind = 'licence') <> (l.id IS NOT NULL) OR (s.kind = 'assignment') <> (a.id IS NOT NULL)
              OR (e.entry_id IS NULL AND qd.id IS NULL)
           LIMIT ${LIMIT}`),
      );
      check(
        'no voided hold moved money or granted anything',
        await q(`
          SELECT h.id AS "holdId" FROM holds h
           WHERE h.status = 'voided' AND (EXISTS (SELECT 1 FROM transfers t WHERE t.hold_id = h.id) OR h.settlement_id IS NOT NULL)
           LIMIT ${LIMIT}`),
      );
      check("every settlement's money came from its buyer and went to its payees in the planned parts", await this.paymentProblems(manager));
      check(
        'every licence has its exclusion row, with its work and exclusivity',
        await q(`
          SELECT l.id AS "licenceId", count(x.row_id)::int AS "exclusionRows"
            FROM licences l LEFT JOIN licence_exclusion x ON x.licence_id = l.id AND x.work_id = l.work_id AND x.exclusive = l.exclusive
           GROUP BY l.id HAVING count(x.row_id) <> 1
           LIMIT ${LIMIT}`),
      );
      check(
        'every licence and assignment belongs to a settlement',
        await q(`
          SELECT id AS "orphanId" FROM licences l WHERE NOT EXISTS (SELECT 1 FROM settlements s WHERE s.id = l.settlement_id)
          UNION ALL
          SELECT id FROM assignments a WHERE NOT EXISTS (SELECT 1 FROM settlements s WHERE s.id = a.settlement_id)
          LIMIT ${LIMIT}`),
      );

      return {
        ok: checks.every((c) => c.ok),
        asOf: new Date().toISOString(),
        totals: {
          deposits: totals.deposits,
          payouts: totals.payouts,
          balances: totals.balances,
          available: totals.available,
          pendingHolds: totals.pending_holds,
          settlementBank: totals.bank,
          exchangeFees: totals.fees,
          settlements: Number(totals.settlements),
          licences: Number(totals.licences),
          assignments: Number(totals.assignments),
          voidedHolds: Number(totals.voided),
        },
        checks,
      };
    });
  }

  /** Page by page (in settlement id order), so the books of a busy exchange are not read into memory at once. */
  private async paymentProblems(manager: EntityManager): Promise<PaymentProblem[]> {
    const problems: PaymentProblem[] = [];
    for (let after = '00000000-0000-0000-0000-000000000000'; problems.length < LIMIT; ) {
      const page: SettlementPayments[] = await manager.query(
        `SELECT s.id AS "settlementId", s.price::text AS price, s.fee_bp AS "feeBp", s.fee::text AS fee,
                CASE WHEN s.kind = 'licence' THEN coalesce(l.licensors, '[]')
                     ELSE jsonb_build_array(jsonb_build_object('partyId', a.assignor_id, 'shareBp', 10000)) END AS payees,
                coalesce((SELECT jsonb_agg(jsonb_build_object('partyId', c.party_id, 'amount', t.amount::text))
                            FROM transfers t JOIN accounts c ON c.id = t.credit_account_id
                           WHERE t.settlement_id = s.id AND t.kind = 'sale_proceeds'), '[]') AS proceeds,
                NOT EXISTS (SELECT 1 FROM transfers t JOIN accounts d ON d.id = t.debit_account_id
                             WHERE t.settlement_id = s.id AND d.party_id IS DISTINCT FROM s.buyer_id)
                AND NOT EXISTS (SELECT 1 FROM holds h JOIN accounts d ON d.id = h.account_id
                                 WHERE h.settlement_id = s.id AND d.party_id IS DISTINCT FROM s.buyer_id) AS "paidByBuyer"
           FROM settlements s
           LEFT JOIN licences l ON l.settlement_id = s.id
           LEFT JOIN assignments a ON a.settlement_id = s.id
          WHERE s.id > $1 ORDER BY s.id LIMIT ${PAGE}`,
        [after],
      );
      for (const settlement of page) {
        const problem = paymentProblem(settlement);
        if (problem && problems.length < LIMIT) problems.push(problem);
      }
      if (page.length < PAGE) break;
      after = page[page.length - 1]!.settlementId;
    }
    return problems;
  }
}
