// Small scenario builders for the core's unit tests: hosts on a star, with readable defaults.

import { SCENARIO_FORMAT, type DeviceSpec, type LinkSpec, type Scenario, type TrafficAction } from '../../src/sim/scenario/format';
import { validateScenario } from '../../src/sim/scenario/validate';

/** Host `name` with MAC 02:00:00:00:00:<n> and IP 10.0.0.<n>/24. */
export function host(name: string, n: number, extra: Partial<{ gateway: string; ip: string | null }> = {}): DeviceSpec {
  const nic: { port: string; mac: string; ip?: string } = { port: 'eth0', mac: `02:00:00:00:00:${n.toString(16).padStart(2, '0')}` };
  if (extra.ip !== null) nic.ip = extra.ip ?? `10.0.0.${n}/24`;
  const spec: DeviceSpec = { id: name, kind: 'host', nics: [nic] };
  if (extra.gateway) spec.gateway = extra.gateway;
  return spec;
}

export function mac(n: number): string {
  return `02:00:00:00:00:${n.toString(16).padStart(2, '0')}`;
}

export function scenarioOf(devices: DeviceSpec[], links: LinkSpec[], traffic: TrafficAction[]): Scenario {
  const result = validateScenario({ format: SCENARIO_FORMAT, id: 'test', title: 'test', devices, links, traffic });
  if (!result.ok) throw new Error(result.errors.map((e) => `${e.path}: ${e.message}`).join('\n'));
  return result.scenario;
}

/** Hosts A, B, C, … (MACs/IPs 1, 2, 3, …) each on port p1, p2, … of one hub or bridge "sw". */
export function star(kind: 'hub' | 'bridge', hostNames: string[], traffic: TrafficAction[], ageingTime?: number): Scenario {
  const hosts = hostNames.map((name, i) => host(name, i + 1));
  const ports = hostNames.map((_, i) => `p${i + 1}`);
  const center: DeviceSpec = kind === 'hub' ? { id: 'sw', kind: 'hub', ports } : ageingTime === undefined ? { id: 'sw', kind: 'bridge', ports } : { id: 'sw', kind: 'bridge', ports, ageingTime };
  const links = hostNames.map((name, i) => ({ a: `${name}:eth0`, b: `sw:p${i + 1}` }));
  return scenarioOf([...hosts, center], links, traffic);
}
