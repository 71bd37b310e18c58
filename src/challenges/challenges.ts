// "Try it" challenges (issue 10): a change to one of a chapter's experiments, a prediction the
// reader makes first, and a check of what the run then did. The change is an edit operation of
// the editor (src/editor/ops.ts), applied in the player's editor, which runs the changed
// experiment; the check reads the run's report (src/sim/report.ts), as the unit test
// (tests/challenges/challenges.test.ts) does for each challenge's expected outcome.
//
// The page gets only the texts (TryIt.astro renders them); this module, with the edit operations,
// loads with the editor when the reader presses "Try it" (try-it.ts).

import type * as Ops from '../editor/ops';
import type { ScenarioReport } from '../sim/report';
import type { Scenario } from '../sim/scenario/format';

/** What the page shows of a challenge: plain text. */
export interface ChallengeText {
  id: string;
  /** The scenario whose player the change is made in. */
  scenario: string;
  /** The change, as a button says it ("Set br0's ageing time to 0"). */
  change: string;
  question: string;
  choices: { id: string; text: string }[];
}

export interface Challenge extends ChallengeText {
  /**
   * The change, as edit operations (src/editor/ops.ts, passed in: the page takes them from the
   * editor it has loaded, rather than as a chunk of their own) on the experiment the player runs.
   */
  apply(s: Scenario, ops: EditOps): Scenario;
  /** Which choice the run's report shows happened. */
  outcome(report: ScenarioReport): string;
  /** Why it happened, by choice: said after the run. */
  why: Record<string, string>;
}

/** The edit operations a challenge uses. */
export type EditOps = Pick<typeof Ops, 'setField'>;

/** The index of device `id` (edit operations take paths). */
function at(s: Scenario, id: string): number {
  const i = s.devices.findIndex((d) => d.id === id);
  if (i < 0) throw new Error(`the experiment has no device ${id}`);
  return i;
}

/** The devices that accepted a frame of the report's action `n` (from 1) as their own. */
const deliveredTo = (report: ScenarioReport, n: number) => report.actions.find((a) => a.id === n)?.deliveredTo ?? [];
const receivedBy = (report: ScenarioReport, n: number) => Object.keys(report.actions.find((a) => a.id === n)?.receivedBy ?? {});

export const CHALLENGES: Challenge[] = [
  {
    id: 'ageing-zero',
    scenario: 'hub-vs-bridge/bridge',
    change: "Set br0's ageing time to 0",
    question: 'With an ageing time of 0, br0 keeps no entry. When A sends to B again (the third action), who gets a copy of the frame?',
    choices: [
      { id: 'only-b', text: 'Only B: br0 still knows where B is' },
      { id: 'flood', text: 'B, C and D: br0 floods it, as a hub would' },
      { id: 'nobody', text: 'Nobody: br0 drops frames it has no entry for' },
    ],
    apply: (s, { setField }) => setField(s, ['devices', at(s, 'br0'), 'ageingTime'], 0),
    outcome: (report) => {
      const got = receivedBy(report, 3).filter((d) => d !== 'br0' && d !== 'A');
      return got.length === 0 ? 'nobody' : got.length === 1 && got[0] === 'B' ? 'only-b' : 'flood';
    },
    why: {
      flood: 'Linux does not keep an entry when the ageing time is 0 (br_fdb_update skips it), so every unicast frame is an unknown destination and is flooded out of every other port: C and D receive and ignore it.',
      'only-b': 'br0 learned where B is, so the frame went out of p2 alone.',
      nobody: 'br0 dropped the frame.',
    },
  },
  {
    id: 'loop-one-cable',
    scenario: 'hub-vs-bridge/loop',
    change: 'Remove the second cable between the bridges',
    question: 'With one cable between sw1 and sw2 (no loop), what happens to A’s broadcast?',
    choices: [
      { id: 'storm', text: 'It still circles until the run is stopped' },
      { id: 'once', text: 'B gets it once, and the run ends by itself' },
      { id: 'lost', text: 'It never reaches B' },
    ],
    apply: (s) => {
      const i = s.links.findIndex((l) => l.a === 'sw1:p3' && l.b === 'sw2:p3');
      if (i < 0) throw new Error('the experiment has no cable sw1:p3 – sw2:p3');
      return { ...s, links: s.links.filter((_, n) => n !== i) };
    },
    outcome: (report) => {
      if (report.halted) return 'storm';
      const atB = report.actions[0]?.receivedBy['B'] ?? [];
      return atB.length === 0 ? 'lost' : 'once';
    },
    why: {
      once: 'Without a loop, each bridge floods the broadcast once and no copy comes back to a bridge that has seen it: B receives one copy and the queue empties.',
      storm: 'The copies kept circling.',
      lost: 'The broadcast did not reach B.',
    },
  },
  {
    id: 'laptop-vlan-10',
    scenario: 'one-vlan-per-subnet/moved-laptop',
    change: "Put L's port p3 in VLAN 10",
    question: 'L is on p3, an access port of VLAN 20. If p3 joins VLAN 10 instead, does L’s ping reach A?',
    choices: [
      { id: 'reaches', text: 'Yes: L and A are now in one VLAN and one subnet' },
      { id: 'fails', text: 'No: L still has to go through a router' },
    ],
    apply: (s, { setField }) => {
      const sw = at(s, 'sw1');
      const device = s.devices[sw]!;
      const port = device.kind === 'switch' ? device.ports.findIndex((p) => p.port === 'p3') : -1;
      if (port < 0) throw new Error('the experiment has no switch port sw1 p3');
      return setField(s, ['devices', sw, 'ports', port, 'vlan'], 10);
    },
    outcome: (report) => (report.actions[0]?.delivered ? 'reaches' : 'fails'),
    why: {
      reaches: 'The switch classifies L’s frames into VLAN 10 by the port they come in on (its PVID): L’s ARP request is flooded to A, A answers, and the ping gets through without any router.',
      fails: 'The ping did not get through.',
    },
  },
  {
    id: 'trap-slash-24',
    scenario: 'one-vlan-per-subnet/trap',
    change: 'Give A a /24 (and no gateway), leave B on /16',
    question: 'A is 10.1.10.11/24 now and B still 10.1.20.11/16. What does A do when it pings B?',
    choices: [
      { id: 'arps', text: 'It asks for B by ARP, as before, and gets no answer' },
      { id: 'no-route', text: 'It sends nothing: B is not on its link, and it has no route there' },
      { id: 'reaches', text: 'The ping gets through' },
    ],
    apply: (s, { setField }) => {
      const a = at(s, 'A');
      return setField(setField(s, ['devices', a, 'nics', 0, 'ip'], '10.1.10.11/24'), ['devices', a, 'gateway'], undefined);
    },
    outcome: (report) => {
      const ping = report.actions[0];
      if (ping?.delivered) return 'reaches';
      return receivedBy(report, 1).length === 0 && deliveredTo(report, 1).length === 0 ? 'no-route' : 'arps';
    },
    why: {
      'no-route': 'With a /24, 10.1.20.11 is outside A’s subnet, so fib_lookup finds no on-link route and, without a gateway, no route at all: “Network is unreachable”, and not one frame leaves A. The prefix decides whether a host ARPs or routes.',
      arps: 'A still treated B as on its link and asked by ARP.',
      reaches: 'The ping got through.',
    },
  },
];

/** The texts of the challenges made in `scenario`'s player. */
export function challengeTexts(scenario: string): ChallengeText[] {
  return CHALLENGES.filter((c) => c.scenario === scenario).map(({ id, scenario, change, question, choices }) => ({ id, scenario, change, question, choices }));
}
