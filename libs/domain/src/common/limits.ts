/**
 * The one set of limits (style.md §15): every path that appends — commands,
 * corrections, the demo and the generator, future imports — passes the
 * domain's guards, so nothing accepted can fail to project. The HTTP edge
 * repeats these numbers (from here) only for better messages.
 *
 * Why these numbers: every integer the read models keep lives in a PostgreSQL
 * `integer` column (at most 2,147,483,647), and sums over a territory must stay
 * exact in a JavaScript number; the largest Vietnamese cooperative has a few
 * hundred thousand members, so ten million leaves room without nearing either.
 */
export const LIMITS = {
  /** PostgreSQL `integer`: the widest integer any read-model column holds. */
  int4Max: 2_147_483_647,
  memberCount: { min: 1, max: 10_000_000 },
  managers: { max: 100_000 },
  /** A union's founding cooperatives listed in one registration. */
  memberCooperativeIds: { max: 1000 },
  /** Characters (Unicode code points), after NFC and trimming. */
  text: {
    name: 200,
    reason: 1000,
    finding: 1000,
    decisionRef: 200,
    noticeRef: 200,
    correctionReason: 2000,
    planTitle: 1000,
    planIssuer: 300,
    planDocument: 200,
    planSource: 500,
    planNote: 2000,
    planReason: 2000,
    targetQuote: 2000,
  },
  planTargets: { max: 200 },
  /** A target's value, min or max: any count or share a plan can name, far from float trouble. */
  targetValue: { maxAbs: 1e12 },
} as const;
