// Chapter "macvlan vs ipvlan vs bridge": the reachability matrix, one definition per cell. A row is
// a design (a scenario of content/scenarios/macvlan-ipvlan-bridge/, all with the same devices: the
// Linux machine `server`, its containers c1 and c2, the LAN host `lan` on the same switch `sw`, the
// LAN's router `gw` and a machine `web` beyond it, outside); a column is one ping between two of them. A
// cell is the row's scenario with that one ping as its traffic, run alone on the core. The page's
// table (ReachMatrix.astro), the experiments it loads into its player (the JSON endpoint
// src/pages/experiments/macvlan-ipvlan-bridge.json.ts), the chapter's tests and the CLI
// (`npm run scenario -- --matrix`) all build cells here.

import { Simulation } from '../sim/engine/simulation';
import { buildReport, type ActionReport } from '../sim/report';
import type { Scenario, TrafficAction } from '../sim/scenario/format';
import { validateScenario } from '../sim/scenario/validate';
import { ipv4Of } from './experiments';
import { scenario } from './index';

/** A row of the matrix: a way to give containers a network. */
export interface MatrixDesign {
  readonly id: string;
  /** The row's heading. */
  readonly name: string;
  /** Its scenario's id. */
  readonly scenario: string;
}

export const MATRIX_DESIGNS: readonly MatrixDesign[] = [
  { id: 'bridge-nat', name: 'Bridge + NAT', scenario: 'macvlan-ipvlan-bridge/bridge-nat' },
  { id: 'macvlan-private', name: 'macvlan private (hairpin on)', scenario: 'macvlan-ipvlan-bridge/macvlan-private' },
  { id: 'macvlan-vepa', name: 'macvlan vepa, hairpin off', scenario: 'macvlan-ipvlan-bridge/macvlan-vepa' },
  { id: 'macvlan-vepa-hairpin', name: 'macvlan vepa, hairpin on', scenario: 'macvlan-ipvlan-bridge/macvlan-vepa-hairpin' },
  { id: 'macvlan-bridge', name: 'macvlan bridge', scenario: 'macvlan-ipvlan-bridge/macvlan-bridge' },
  { id: 'macvlan-passthru', name: 'macvlan passthru', scenario: 'macvlan-ipvlan-bridge/macvlan-passthru' },
  { id: 'ipvlan-l2', name: 'ipvlan l2', scenario: 'macvlan-ipvlan-bridge/ipvlan-l2' },
  { id: 'ipvlan-l3', name: 'ipvlan l3', scenario: 'macvlan-ipvlan-bridge/ipvlan-l3' },
];

/** A column of the matrix: who pings whom. */
export interface MatrixPair {
  readonly id: string;
  /** The column's heading. */
  readonly heading: string;
  readonly from: string;
  readonly to: string;
  /** The ping's label in the player. */
  readonly label: string;
}

export const MATRIX_PAIRS: readonly MatrixPair[] = [
  { id: 'c1-c2', heading: 'c1 → c2', from: 'c1', to: 'c2', label: 'c1 pings c2 (same host)' },
  { id: 'c1-host', heading: 'c1 → its host', from: 'c1', to: 'server', label: 'c1 pings its host' },
  { id: 'c1-lan', heading: 'c1 → LAN host', from: 'c1', to: 'lan', label: 'c1 pings the LAN host' },
  { id: 'lan-c1', heading: 'LAN host → c1', from: 'lan', to: 'c1', label: 'The LAN host pings c1' },
  { id: 'c1-outside', heading: 'c1 → outside', from: 'c1', to: 'web', label: 'c1 pings the outside' },
];

/** The id of a cell's experiment (a scenario id: what the player shows, and what edits are saved under). */
export function cellId(design: MatrixDesign, pair: MatrixPair): string {
  return `macvlan-ipvlan-bridge/matrix/${design.id}/${pair.id}`;
}

/** The cell's experiment: the design's scenario with the column's ping as its only traffic; null if the design has no such device. */
export function cellScenario(design: MatrixDesign, pair: MatrixPair, base: Scenario = scenario(design.scenario)): Scenario | null {
  const ids = new Set(base.devices.map((d) => d.id));
  if (!ids.has(pair.from) || !ids.has(pair.to)) return null;
  const ping: TrafficAction = { at: 0, from: pair.from, do: 'ping', to: pair.to, label: pair.label };
  return { ...base, id: cellId(design, pair), title: `${design.name}: ${pair.label}`, traffic: [ping] };
}

/** What became of a cell's ping. */
export interface MatrixCell {
  design: MatrixDesign;
  pair: MatrixPair;
  id: string;
  /** `yes`: the ping was answered; `no`: it was not; `impossible`: the design cannot hold this pair (`result` says why). */
  reach: 'yes' | 'no' | 'impossible';
  /** The ping's result line ("Reply from 192.168.1.20: TTL 64, time 12 ms."), or why the cell cannot exist. */
  result: string;
  /** The result in a few words, for the table ("reply, TTL 64", "Destination Host Unreachable", "no reply within 4 s"). */
  short: string;
  /** The source address of the echo request the destination received, when NAT rewrote it (the address the far end saw), else null. */
  seenAs: string | null;
  /** The core's sentence for the first frame of the ping that was dropped or filtered (why it failed), or null. */
  why: string | null;
  /** The run's report of the ping (null for an impossible cell). */
  action: ActionReport | null;
}

const cells = new Map<string, MatrixCell>();

/**
 * A design that cannot hold the pair (passthru has one child, so there is no c2): the error the
 * core's validation gives for the design with a second child added, if it gives one.
 */
function impossibility(design: MatrixDesign, pair: MatrixPair): string {
  const base = scenario(design.scenario);
  const missing = [pair.from, pair.to].find((id) => !base.devices.some((d) => d.id === id))!;
  const twin = base.devices.find((d) => d.id === 'c1');
  if (twin && twin.kind === 'host') {
    const copy = structuredClone(twin);
    copy.id = missing;
    copy.position = undefined;
    // The same NIC as c1's, but for its address: a passthru child has its parent's MAC, as c1 does.
    for (const nic of copy.nics) if (nic.ip) nic.ip = nic.ip.replace(/\.\d+\//, '.102/');
    const result = validateScenario({ ...base, devices: [...base.devices, copy] });
    if (!result.ok) return readable(result.errors[0]!.message);
  }
  return `${design.name} has no ${missing}`;
}

/** A ping's result line in a few words: "reply, TTL 64"; a failure's first clause, with who answered. */
export function shortResult(result: string, ok: boolean): string {
  const ttl = /TTL (\d+)/.exec(result);
  if (ok && ttl) return `reply, TTL ${ttl[1]}`;
  const from = /^From ([\d.]+): ([^.]*)/.exec(result);
  if (from) return `${from[2]} (from ${from[1]})`;
  const silent = /^No reply from [\d.]+ (within [^.]*)/.exec(result);
  if (silent) return `no reply ${silent[1]}`;
  return firstClause(result, /[:.]/);
}

/**
 * A message up to its first `stop` outside parentheses: "a passthru macvlan is its parent's only
 * child (Linux: EINVAL)" stays whole, where a plain split would cut it at "(Linux".
 */
export function firstClause(message: string, stop: RegExp = /:/): string {
  let depth = 0;
  for (let i = 0; i < message.length; i++) {
    const c = message[i]!;
    if (c === '(') depth += 1;
    else if (c === ')') depth = Math.max(0, depth - 1);
    else if (depth === 0 && stop.test(c)) return message.slice(0, i);
  }
  return message;
}

/** A validator's message for a reader of the table: without the paths into the scenario ("(devices[1].nics[0])"). */
function readable(message: string): string {
  return message.replace(/\s*\(devices\[[^)]*\)/g, '');
}

/** One cell, run on the core (cached: scenarios are deterministic). */
export function matrixCell(design: MatrixDesign, pair: MatrixPair): MatrixCell {
  const id = cellId(design, pair);
  const cached = cells.get(id);
  if (cached) return cached;
  const cellScenarioValue = cellScenario(design, pair);
  // A cell the core refuses to build (the ping's target has no address, say) is impossible, in the validator's words.
  const checked = cellScenarioValue ? validateScenario(cellScenarioValue) : null;
  let cell: MatrixCell;
  if (!cellScenarioValue) {
    const result = impossibility(design, pair);
    cell = { design, pair, id, reach: 'impossible', result, short: firstClause(result), seenAs: null, why: null, action: null };
  } else if (checked && !checked.ok) {
    const result = readable(checked.errors[0]!.message);
    cell = { design, pair, id, reach: 'impossible', result, short: firstClause(result), seenAs: null, why: null, action: null };
  } else {
    const sim = new Simulation(cellScenarioValue, { history: false });
    sim.run();
    const action = buildReport(sim).actions[0]!;
    const events = sim.trace;
    const senderAddresses = addressesOf(cellScenarioValue, pair.from);
    const echo = events.find((e) => e.kind === 'deliver' && e.reason === 'echo-request' && e.device === pair.to);
    const source = echo ? (ipv4Of(echo.frame)?.source ?? null) : null;
    const failed = events.find((e) => (e.kind === 'drop' || e.kind === 'filter') && !OVERHEARD.has(e.reason));
    cell = {
      design,
      pair,
      id,
      reach: action.outcome === 'ok' ? 'yes' : 'no',
      result: action.result ?? 'unfinished',
      short: shortResult(action.result ?? 'unfinished', action.outcome === 'ok'),
      seenAs: source !== null && !senderAddresses.includes(source) ? source : null,
      why: action.outcome === 'ok' || !failed ? null : failed.text,
      action,
    };
  }
  cells.set(id, cell);
  return cell;
}

/** Drops that are no failure: a host reading a frame meant for someone else. */
const OVERHEARD: ReadonlySet<string> = new Set(['not-for-me', 'arp-request-not-for-me']);

/** A device's IPv4 addresses, without prefix. */
function addressesOf(s: Scenario, id: string): string[] {
  const device = s.devices.find((d) => d.id === id);
  if (!device || (device.kind !== 'host' && device.kind !== 'router')) return [];
  return [...device.nics.map((n) => n.ip), ...(device.bridges ?? []).map((b) => b.ip)].filter((ip): ip is string => !!ip).map((ip) => ip.split('/')[0]!);
}

/** The whole matrix, row by row. */
export function reachMatrix(): MatrixCell[][] {
  return MATRIX_DESIGNS.map((design) => MATRIX_PAIRS.map((pair) => matrixCell(design, pair)));
}

/** Every cell's experiment by id: what the page's JSON endpoint serves and the player loads when a cell is chosen. */
export function matrixExperiments(): Record<string, Scenario> {
  const out: Record<string, Scenario> = {};
  for (const design of MATRIX_DESIGNS) {
    for (const pair of MATRIX_PAIRS) {
      // Only the cells that run: an impossible one has no experiment to play.
      const s = cellScenario(design, pair);
      if (s && matrixCell(design, pair).action !== null) out[s.id] = s;
    }
  }
  return out;
}

// ---------- what the switch sees ----------

/** The port-security limits the reader can set on switch port p1 (null: no limit). */
export const SWITCH_LIMITS: readonly (number | null)[] = [1, 2, 3, null];

/** Who talks to the LAN host, one after the other, in the switch-sees experiment (those the design has). */
const TALKERS = ['server', 'c1', 'c2'] as const;

/** A design with port p1 of the switch limited to `limit` learned MACs, in which the host (server), c1 and c2 each ping the LAN host. */
export function switchSeesScenario(design: MatrixDesign, limit: number | null): Scenario {
  const base = scenario(design.scenario);
  const devices = base.devices.map((d) => {
    if (d.id !== 'sw' || d.kind !== 'switch') return d;
    return { ...d, ports: d.ports.map((p) => (p.port !== 'p1' ? p : limit === null ? { ...p, maxMacs: undefined } : { ...p, maxMacs: limit })) };
  });
  // Those the design has, with an address to ping from (a passthru child takes the host's card: the host has none).
  const talkers = TALKERS.filter((id) => base.devices.some((d) => d.id === id && (d.kind === 'host' || d.kind === 'router') && d.nics.some((n) => n.ip)));
  const traffic: TrafficAction[] = talkers.map((from, i) => ({ at: i * 5000, from, do: 'ping', to: 'lan', label: `${from} pings the LAN host` }));
  return { ...base, id: `macvlan-ipvlan-bridge/switch/${design.id}/${limit ?? 'none'}`, title: `${design.name}: port p1 ${limit === null ? 'without a limit' : `learns at most ${limit}`}`, devices, traffic };
}

export interface SwitchSees {
  /** The MAC addresses the switch learned on p1, in table order, with whose they are, by the names drawn ("server", "c1", "server, c1"). */
  learned: { mac: string; owner: string }[];
  /** Each ping to the LAN host: who sent it and whether it was answered. */
  pings: { from: string; ok: boolean; result: string }[];
  /** The source addresses of the echo requests the LAN host received, each once, in order: who the LAN believes it talks to. */
  lanSaw: string[];
}

const switchCache = new Map<string, SwitchSees>();

/** The switch-sees experiment of a design at a limit, run on the core. */
export function switchSees(design: MatrixDesign, limit: number | null): SwitchSees {
  const s = switchSeesScenario(design, limit);
  const cached = switchCache.get(s.id);
  if (cached) return cached;
  const sim = new Simulation(s, { history: false });
  sim.run();
  const report = buildReport(sim);
  const owners = new Map<string, string[]>();
  for (const d of s.devices) {
    if (d.kind !== 'host' && d.kind !== 'router') continue;
    for (const mac of [...d.nics.map((n) => n.mac), ...(d.bridges ?? []).map((b) => b.mac)]) {
      const list = owners.get(mac) ?? [];
      const name = d.label ?? d.id;
      if (!list.includes(name)) list.push(name);
      owners.set(mac, list);
    }
  }
  const learned = (report.macTables['sw'] ?? []).filter((row) => row.port === 'p1' && !row.permanent).map((row) => ({ mac: row.mac, owner: (owners.get(row.mac) ?? []).join(', ') }));
  const label = (id: string) => s.devices.find((d) => d.id === id)?.label ?? id;
  const pings = report.actions.map((a, i) => ({ from: label(s.traffic[i]!.from), ok: a.outcome === 'ok', result: a.result ?? 'unfinished' }));
  const lanSaw = [...new Set(sim.trace.filter((e) => e.kind === 'deliver' && e.reason === 'echo-request' && e.device === 'lan').map((e) => ipv4Of(e.frame)?.source ?? ''))];
  const seen = { learned, pings, lanSaw };
  switchCache.set(s.id, seen);
  return seen;
}
