// The reachability matrix of chapter "macvlan vs ipvlan vs bridge" from the command line, computed
// by the same definitions as the page and the tests (src/scenarios/reach-matrix.ts):
//
//   npx tsx scripts/reach-matrix.ts              # the matrix as text, one line per cell
//   npx tsx scripts/reach-matrix.ts --json       # the same as JSON
//   npx tsx scripts/reach-matrix.ts --cell macvlan-ipvlan-bridge/matrix/macvlan-vepa/c1-c2 > cell.json
//                                                # one cell's experiment, for `npm run scenario -- cell.json --trace`
//
// Exit status 2 for a usage error or an unknown cell.

import { MATRIX_DESIGNS, MATRIX_PAIRS, matrixExperiments, reachMatrix } from '../src/scenarios/reach-matrix';

const args = process.argv.slice(2);
const USAGE = 'usage: npx tsx scripts/reach-matrix.ts [--json | --cell <id>]';

if (args[0] === '--cell') {
  const id = args[1];
  const experiments = matrixExperiments();
  const found = id !== undefined && Object.hasOwn(experiments, id) ? experiments[id] : undefined;
  if (!found) {
    console.error(`${id === undefined ? 'no cell id given' : `no cell "${id}"`}; cells: ${Object.keys(experiments).join(', ')}`);
    process.exit(2);
  }
  console.log(JSON.stringify(found, null, 2));
} else if (args.length === 0 || (args.length === 1 && args[0] === '--json')) {
  const rows = reachMatrix().map((row) =>
    row.map((cell) => ({ design: cell.design.id, pair: cell.pair.id, id: cell.id, reach: cell.reach, result: cell.result, seenAs: cell.seenAs, why: cell.why })),
  );
  if (args[0] === '--json') console.log(JSON.stringify({ designs: MATRIX_DESIGNS, pairs: MATRIX_PAIRS, rows }, null, 2));
  else for (const row of rows) for (const c of row) console.log(`${c.design.padEnd(21)} ${c.pair.padEnd(11)} ${c.reach.padEnd(10)} ${c.result}${c.seenAs ? ` (seen as ${c.seenAs})` : ''}`);
} else {
  console.error(USAGE);
  process.exit(2);
}
