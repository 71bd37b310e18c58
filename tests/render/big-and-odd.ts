// Scenarios for the layout and player tests: big ones (hundreds of hosts on bridges, a bridge loop)
// and odd ones (names that are Object.prototype members). Built as plain data, validated where a
// test needs the core to run them.

import { SCENARIO_FORMAT, type Scenario } from '../../src/sim/scenario/format.ts';
import { validateScenario } from '../../src/sim/scenario/validate.ts';

const mac = (n: number) => `02:00:00:${[16, 8, 0].map((s) => ((n >> s) & 0xff).toString(16).padStart(2, '0')).join(':')}`;
const host = (n: number, id = `h${n}`) => ({ id, kind: 'host', nics: [{ port: 'eth0', mac: mac(n), ip: `10.0.${(n >> 8) & 0xff}.${n & 0xff}/16` }] });
const ports = (count: number) => Array.from({ length: count }, (_, i) => `p${i}`);

export function valid(data: unknown): Scenario {
  const result = validateScenario(data);
  if (!result.ok) throw new Error(`invalid test scenario: ${JSON.stringify(result.errors.slice(0, 3))}`);
  return result.scenario;
}

/** `hosts` hosts on `bridges` bridges in a chain; h1 pings the last host. */
export function manyHosts(hosts: number, bridges = 2): Scenario {
  const per = Math.ceil(hosts / bridges);
  const devices: object[] = [];
  const links: { a: string; b: string }[] = [];
  for (let b = 0; b < bridges; b++) devices.push({ id: `br${b}`, kind: 'bridge', ports: ports(per + 2) });
  for (let b = 0; b + 1 < bridges; b++) links.push({ a: `br${b}:p${per + 1}`, b: `br${b + 1}:p${per}` });
  for (let h = 0; h < hosts; h++) {
    devices.push(host(h + 1));
    links.push({ a: `h${h + 1}:eth0`, b: `br${Math.floor(h / per)}:p${h % per}` });
  }
  return valid({ format: SCENARIO_FORMAT, id: 'big', title: `${hosts} hosts`, devices, links, traffic: [{ from: 'h1', do: 'ping', to: `h${hosts}` }] });
}

/** `hosts` hosts on two bridges joined by two cables: a loop; h1 pings the last host. */
export function bridgeLoop(hosts: number): Scenario {
  const half = Math.ceil(hosts / 2);
  const devices: object[] = [
    { id: 'left', kind: 'bridge', ports: ports(half + 2) },
    { id: 'right', kind: 'bridge', ports: ports(hosts - half + 2) },
  ];
  const links = [
    { a: `left:p${half}`, b: `right:p${hosts - half}` },
    { a: `left:p${half + 1}`, b: `right:p${hosts - half + 1}` },
  ];
  for (let h = 0; h < hosts; h++) {
    devices.push(host(h + 1));
    links.push({ a: `h${h + 1}:eth0`, b: h < half ? `left:p${h}` : `right:p${h - half}` });
  }
  return valid({ format: SCENARIO_FORMAT, id: 'loop', title: `${hosts}-host loop`, devices, links, traffic: [{ from: 'h1', do: 'ping', to: `h${hosts}` }] });
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
