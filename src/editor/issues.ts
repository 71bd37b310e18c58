// The validator's verdict, arranged for the form: its paths ("devices[2].nics[0].mac") are the
// editor's field keys, so each error and warning is shown next to the field it is about, and the
// summary names the field in words ("C, NIC eth0: MAC address").

import { devicePorts, type Scenario } from '../sim/scenario/format';
import type { ScenarioIssue, ValidationResult } from '../sim/scenario/validate';

export interface FieldIssues {
  errors: Map<string, string[]>;
  warnings: Map<string, string[]>;
}

/**
 * A validator message as the form shows it: the validator names other parts of the document by
 * path ("already used by devices[0]", "(links[0])"), the form by number, as its summary does
 * ("device 1", "cable 1").
 */
export function inWords(message: string): string {
  return message.replace(/\bdevices\[(\d+)\]/g, (_, n: string) => `device ${Number(n) + 1}`).replace(/\blinks\[(\d+)\]/g, (_, n: string) => `cable ${Number(n) + 1}`);
}

function byPath(issues: readonly ScenarioIssue[]): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const issue of issues) {
    const list = map.get(issue.path) ?? [];
    list.push(inWords(issue.message));
    map.set(issue.path, list);
  }
  return map;
}

export function fieldIssues(result: ValidationResult): FieldIssues {
  return { errors: byPath(result.ok ? [] : result.errors), warnings: byPath(result.warnings) };
}

/** Issues at `key` exactly, or, with `within`, at any path inside it too. */
export function issuesAt(map: Map<string, string[]>, key: string, within = false): string[] {
  if (!within) return map.get(key) ?? [];
  const out: string[] = [];
  for (const [path, messages] of map) if (path === key || path.startsWith(`${key}.`) || path.startsWith(`${key}[`)) out.push(...messages);
  return out;
}

/** A Map: paths can hold field names a reader typed (an unknown field called "constructor"). */
const FIELD_WORDS: ReadonlyMap<string, string> = new Map(Object.entries({
  id: 'name',
  kind: 'kind',
  label: 'label',
  nics: 'network interfaces',
  ports: 'ports',
  port: 'port name',
  mac: 'MAC address',
  ip: 'IPv4 address/prefix',
  gateway: 'gateway',
  ageingTime: 'ageing time',
  local: 'local interface',
  position: 'position',
  x: 'x',
  y: 'y',
  mode: 'mode',
  vlan: 'VLAN',
  vlans: 'VLANs',
  native: 'native VLAN',
  maxMacs: 'MAC limit',
  macVlans: 'MAC-based VLANs',
  routes: 'routes',
  to: 'destination',
  via: 'next hop',
  from: 'source',
  do: 'packet kind',
  at: 'time',
  payload: 'payload',
  a: 'first end',
  b: 'second end',
  title: 'title',
  description: 'description',
  mtu: 'MTU',
  udpListen: 'listening UDP ports',
  size: 'payload size',
  mtuDiscovery: 'path MTU discovery (ping -M)',
  sourcePort: 'UDP source port',
  node: 'node',
  bridges: 'bridge devices',
  type: 'link type',
}));

/** Splits "devices[2].nics[0].mac" into ['devices', 2, 'nics', 0, 'mac']. */
export function parsePath(path: string): (string | number)[] {
  const parts: (string | number)[] = [];
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) parts.push(m[2] !== undefined ? Number(m[2]) : m[1]!);
  return parts;
}

/** A validator path in words, naming devices, ports and cables as the reader sees them. */
export function describePath(path: string, scenario: Scenario): string {
  const parts = parsePath(path);
  if (parts.length === 0 || path === '(top level)') return 'The experiment';
  const words: string[] = [];
  const [head, index] = parts;
  let rest = parts.slice(2);
  if (head === 'devices' && typeof index === 'number') {
    const device = scenario.devices[index];
    words.push(device && typeof device.id === 'string' && device.id ? `Device ${device.id}` : `Device ${index + 1}`);
    if (device && (rest[0] === 'nics' || rest[0] === 'ports') && typeof rest[1] === 'number') {
      const port = devicePorts(device)[rest[1]];
      words.push(`${rest[0] === 'nics' ? 'NIC' : 'port'} ${typeof port === 'string' && port ? port : rest[1] + 1}`);
      rest = rest.slice(2);
      if (rest.length === 0 && path.includes('.ports[')) words.push('port name');
    } else if (device && rest[0] === 'bridges' && typeof rest[1] === 'number' && (device.kind === 'host' || device.kind === 'router')) {
      // A namespace's bridge device, by its interface name ("bridge br0").
      const name = device.bridges?.[rest[1]]?.name;
      words.push(`bridge ${typeof name === 'string' && name ? name : rest[1] + 1}`);
      rest = rest.slice(2);
    }
  } else if (head === 'links' && typeof index === 'number') {
    const link = scenario.links[index];
    words.push(link ? `Cable ${index + 1} (${link.a} – ${link.b})` : `Cable ${index + 1}`);
  } else if (head === 'traffic' && typeof index === 'number') {
    const action = scenario.traffic[index];
    words.push(action ? `Traffic ${index + 1} (${action.label ?? `${action.from} ${action.do} ${action.to}`})` : `Traffic ${index + 1}`);
  } else {
    rest = parts;
  }
  // A traffic action's "port" is a UDP port number, not a port of a device.
  const fieldWords = (p: string) => (head === 'traffic' && p === 'port' ? 'UDP port' : (FIELD_WORDS.get(p) ?? p));
  const tail = rest.map((p) => (typeof p === 'number' ? `#${p + 1}` : fieldWords(p))).join(' ');
  return tail ? `${words.join(', ')}${words.length ? ': ' : ''}${tail}` : words.join(', ');
}
