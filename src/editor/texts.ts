// Each scenario's JSON text, written once: the editor compares drafts by their text, saves the
// running version as text and sends big drafts to its checking worker as text (a string crosses
// to a worker far faster than thousands of objects are cloned). Scenarios are never changed in
// place, so a text stays true for its object.

import type { Scenario } from '../sim/scenario/format';

const texts = new WeakMap<Scenario, string>();

/** JSON.stringify(scenario), computed at most once per scenario object. */
export function jsonOf(scenario: Scenario): string {
  let text = texts.get(scenario);
  if (text === undefined) texts.set(scenario, (text = JSON.stringify(scenario)));
  return text;
}

/** Parses a scenario's JSON text (the checking worker's answer) and remembers the text for it. */
export function scenarioFromJson(text: string): Scenario {
  const scenario = JSON.parse(text) as Scenario;
  texts.set(scenario, text);
  return scenario;
}
