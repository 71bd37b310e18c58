// Scenarios for the layout and player tests: big ones (hundreds of hosts on bridges, a bridge loop)
// and odd ones (names that are Object.prototype members). Built as plain data, validated where a
// test needs the core to run them.

import { SCENARIO_FORMAT, type Scenario } from '../../src/sim/scenario/format.ts';
import { validateScenario } from '../../src/sim/scenario/validate.ts';
import * as generated from '../../scripts/lib/big-topologies.mjs';
import { host, mac } from '../../scripts/lib/big-topologies.mjs';

export function valid(data: unknown): Scenario {
  const result = validateScenario(data);
  if (!result.ok) throw new Error(`invalid test scenario: ${JSON.stringify(result.errors.slice(0, 3))}`);
  return result.scenario;
}

/** `hosts` hosts on `bridges` bridges in a chain; h1 pings the last host. */
export function manyHosts(hosts: number, bridges = 2): Scenario {
  return valid(generated.manyHosts(hosts, bridges));
}

/** `hosts` hosts on two bridges joined by two cables: a loop; h1 pings the last host. */
export function bridgeLoop(hosts: number): Scenario {
  return valid(generated.bridgeLoop(hosts));
}

/** Hosts named constructor and __proto__ on a bridge named toString whose ports are toString and valueOf. */
export function prototypeNames(): Scenario {
  return valid({
    format: SCENARIO_FORMAT,
    id: 'odd',
    title: 'Prototype names',
    devices: [
      { id: 'toString', kind: 'bridge', ports: ['toString', 'valueOf', 'hasOwnProperty'] },
      { ...host(1, 'constructor'), nics: [{ port: 'toString', mac: mac(1), ip: '10.0.0.1/24' }] },
      { ...host(2, '__proto__'), nics: [{ port: 'valueOf', mac: mac(2), ip: '10.0.0.2/24' }] },
    ],
    links: [
      { a: 'constructor:toString', b: 'toString:toString' },
      { a: '__proto__:valueOf', b: 'toString:valueOf' },
    ],
    traffic: [{ from: 'constructor', do: 'ping', to: '__proto__' }],
  });
}
