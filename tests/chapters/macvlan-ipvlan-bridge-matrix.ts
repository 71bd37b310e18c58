// The reachability matrix that chapter "macvlan vs ipvlan vs bridge" shows, written out once:
// tests/chapters/macvlan-ipvlan-bridge.test.ts asserts that the core computes exactly this (one
// assertion per cell), and e2e/macvlan-ipvlan-bridge.spec.ts that the built page shows exactly this.
// Plain data, no imports: Playwright and Vitest both read it.

/** The row headings, in order (src/scenarios/reach-matrix.ts, MATRIX_DESIGNS). */
export const MATRIX_ROWS = [
  'Bridge + NAT',
  'macvlan private (hairpin on)',
  'macvlan vepa, hairpin off',
  'macvlan vepa, hairpin on',
  'macvlan bridge',
  'macvlan passthru',
  'ipvlan l2',
  'ipvlan l3',
] as const;

/** The column headings, in order (MATRIX_PAIRS). */
export const MATRIX_COLUMNS = ['c1 → c2', 'c1 → its host', 'c1 → LAN host', 'LAN host → c1', 'c1 → outside'] as const;

export type Reach = 'yes' | 'no' | 'impossible';

/** Row by row, column by column: does the ping get an answer? */
export const EXPECTED_MATRIX: readonly (readonly Reach[])[] = [
  /* Bridge + NAT */ ['yes', 'yes', 'yes', 'no', 'yes'],
  /* macvlan private (hairpin on) */ ['no', 'no', 'yes', 'yes', 'yes'],
  /* macvlan vepa, hairpin off */ ['no', 'no', 'yes', 'yes', 'yes'],
  /* macvlan vepa, hairpin on */ ['yes', 'yes', 'yes', 'yes', 'yes'],
  /* macvlan bridge */ ['yes', 'no', 'yes', 'yes', 'yes'],
  /* macvlan passthru */ ['impossible', 'impossible', 'yes', 'yes', 'yes'],
  /* ipvlan l2 */ ['yes', 'no', 'yes', 'yes', 'yes'],
  /* ipvlan l3 */ ['yes', 'yes', 'yes', 'yes', 'yes'],
];
