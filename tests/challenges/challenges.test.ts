// The "Try it" challenges (src/challenges/challenges.ts): each change is an edit the validator
// accepts, and the run of the changed experiment has the expected outcome, read by the same check
// the page uses; the chapter's own version has another, so that the check can fail and the
// challenge shows a difference.

import { describe, expect, it } from 'vitest';
import { CHALLENGES, challengeTexts } from '../../src/challenges/challenges.ts';
import * as ops from '../../src/editor/ops.ts';
import { scenarios } from '../../src/scenarios/index.ts';
import { Simulation } from '../../src/sim/engine/simulation.ts';
import { buildReport } from '../../src/sim/report.ts';
import type { Scenario } from '../../src/sim/scenario/format.ts';
import { validateScenario } from '../../src/sim/scenario/validate.ts';

function outcomeOf(challenge: (typeof CHALLENGES)[number], scenario: Scenario): string {
  const sim = new Simulation(scenario);
  sim.run();
  return challenge.outcome(buildReport(sim));
}

const EXPECTED: Record<string, { changed: string; chapter: string }> = {
  'ageing-zero': { changed: 'flood', chapter: 'only-b' },
  'loop-one-cable': { changed: 'once', chapter: 'storm' },
  'laptop-vlan-10': { changed: 'reaches', chapter: 'fails' },
  'trap-slash-24': { changed: 'no-route', chapter: 'arps' },
};

describe('"Try it" challenges', () => {
  it('has at least two in each chapter, each with its outcome known', () => {
    for (const chapter of ['hub-vs-bridge/', 'one-vlan-per-subnet/']) expect(CHALLENGES.filter((c) => c.scenario.startsWith(chapter)).length).toBeGreaterThanOrEqual(2);
    expect(CHALLENGES.map((c) => c.id).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const challenge of CHALLENGES) {
    it(`${challenge.id}: "${challenge.change}" is a valid edit, and the run shows "${EXPECTED[challenge.id]?.changed}" (the chapter's version "${EXPECTED[challenge.id]?.chapter}")`, () => {
      const original = scenarios[challenge.scenario];
      expect(original, challenge.scenario).toBeDefined();
      const changed = validateScenario(challenge.apply(original!, ops));
      expect(changed.ok ? [] : changed.errors).toEqual([]);
      if (!changed.ok) return;
      const expected = EXPECTED[challenge.id]!;
      expect(outcomeOf(challenge, changed.scenario)).toBe(expected.changed);
      expect(outcomeOf(challenge, original!)).toBe(expected.chapter);
      // Every outcome the check can give is a choice the reader could make, and is explained.
      const ids = challenge.choices.map((c) => c.id);
      expect(ids).toContain(expected.changed);
      for (const id of ids) expect(challenge.why[id], id).toBeTruthy();
      // The edit leaves the chapter's version alone (edit operations copy).
      expect(JSON.stringify(original)).toBe(JSON.stringify(scenarios[challenge.scenario]));
    });
  }

  it('gives the page only texts', () => {
    const texts = challengeTexts('hub-vs-bridge/bridge');
    expect(texts.map((t) => t.id)).toEqual(['ageing-zero']);
    expect(JSON.parse(JSON.stringify(texts))).toEqual(texts);
  });
});
