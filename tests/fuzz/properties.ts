// The fuzzer's properties, defined once: the Vitest run (fuzz.test.ts), the long campaigns
// (scripts/fuzz.ts) and the regression replay (regressions.test.ts) all run these. Each property
// is a generator and a check that throws, in words, when the site misbehaves on that input.

import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { decodeScenario, encodeScenario } from '../../src/editor/share.ts';
import { exportText, importText, type ImportResult } from '../../src/editor/transfer.ts';
import { loadEdits, type StorageLike } from '../../src/editor/storage.ts';
import { layoutScenario } from '../../src/render/layout.ts';
import { queueInOrder } from '../../src/sim/engine/event-queue.ts';
import { Simulation } from '../../src/sim/engine/simulation.ts';
import { buildReport } from '../../src/sim/report.ts';
import { SCENARIO_FORMAT, type Scenario, type TrafficAction } from '../../src/sim/scenario/format.ts';
import * as limits from '../../src/sim/scenario/limits.ts';
import { validateScenario, type ScenarioIssue } from '../../src/sim/scenario/validate.ts';
import { arpCache, macTable, routingTable } from '../../src/sim/tables.ts';
import { MemoryStorage } from '../editor/memory-storage.ts';
import { applyTamper, hostileText, importInput, nearValidText, shareInput, simulationInput, storageInput, validScenario, type ImportInput, type ShareInput, type SimulationInput, type StorageInput } from './arbitraries.ts';

export interface FuzzProperty<T = unknown> {
  /** File-name safe; regression files start with it. */
  name: string;
  /** One sentence: what must hold. */
  about: string;
  arbitrary: fc.Arbitrary<T>;
  /** Throws an Error saying what went wrong; returns (or resolves) when the property holds. */
  check: (input: T) => void | Promise<void>;
  async: boolean;
  /** Cases in the default run (`npm test`); campaigns split their runs in these proportions. */
  runs: number;
}

class PropertyFailure extends Error {}
function fail(message: string): never {
  throw new PropertyFailure(message);
}
const show = (value: unknown, max = 300): string => {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > max ? `${text.slice(0, max)}… (${text.length} characters)` : text;
};

// ---------------------------------------------------------------------------------------------
// What a message in the site's own words is.

/**
 * Wording that is not the site's. valibot 1.x writes every default message from one template in
 * its _addIssue: `Invalid ${label}: Expected ${expected} but received ${received}`, or
 * `Invalid ${label}: Received ${received}` when nothing is expected, with labels such as type,
 * key, length, value, format, input, entries. The schema must replace every one of them, so the
 * template's pieces are banned anywhere in a message. Two more are a message built carelessly:
 * an object or `undefined` turned into text.
 */
export const LIBRARY_WORDING: readonly RegExp[] = [/^Invalid [\w -]+:/, /\bbut received\b/, /^Received\b/, /\[object Object\]/, /\bgot undefined\b/];
/** A message longer than this is not a sentence a reader reads (it quotes the input whole). */
export const MAX_MESSAGE_LENGTH = 1_000;
/** The top-level fields of a scenario; any error path starts with one of these or with a key of the input. */
const TOP_FIELDS = ['format', 'id', 'title', 'description', 'devices', 'links', 'traffic'];

/** Throws unless `message` is a non-empty sentence of reasonable length in the site's words. */
export function checkWords(message: unknown, where: string): void {
  if (typeof message !== 'string' || message.trim() === '') fail(`${where}: the message is empty or not text: ${show(message)}`);
  // What the message quotes from the input ("…") is the reader's text, not the site's wording.
  const own = message.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  for (const pattern of LIBRARY_WORDING) if (pattern.test(own)) fail(`${where}: the message is in the validation library's words (${pattern}): ${show(message)}`);
  if (message.length > MAX_MESSAGE_LENGTH) fail(`${where}: the message is ${message.length} characters long (at most ${MAX_MESSAGE_LENGTH}): ${show(message, 120)}`);
}

function checkIssue(issue: ScenarioIssue, input: unknown, kind: string): void {
  const where = `${kind} ${show(issue, 200)}`;
  if (typeof issue.path !== 'string' || issue.path === '') fail(`${where}: names no field path`);
  // validateScenario turns an exception of its own into this error: for the fuzzer it is a crash.
  if (typeof issue.message === 'string' && /a bug in vnet-live/i.test(issue.message.replace(/"(?:[^"\\]|\\.)*"/g, '""'))) fail(`the validator threw and caught it: ${show(issue.message, 600)}`);
  checkWords(issue.message, where);
  if (issue.path === '(top level)') return;
  const keys = input !== null && typeof input === 'object' && !Array.isArray(input) ? Object.keys(input) : [];
  const first = firstField(issue.path);
  // A long key may be shortened with "…" in the path.
  const names = (key: string) => key === first || (first !== null && first.endsWith('…') && first.length > 1 && key.startsWith(first.slice(0, -1)));
  if (first === null || !(TOP_FIELDS.includes(first) || keys.some(names))) fail(`${where}: the path does not start with a field of the scenario`);
}

/**
 * The field a path starts with: `devices[2].mac` → "devices"; a key that is not a plain word may be
 * written as a quoted key, `["a.b"].x` → "a.b". null when the path starts with neither.
 */
function firstField(path: string): string | null {
  const quoted = /^\[("(?:[^"\\]|\\.)*")\]/.exec(path);
  if (quoted) {
    try {
      return JSON.parse(quoted[1]!) as string;
    } catch {
      return null;
    }
  }
  return /^[^.[]+/.exec(path)?.[0] ?? null;
}

/** The validator's verdict on `input`: it must not throw, and every issue names a path in the site's words. */
export function validateChecked(input: unknown): ReturnType<typeof validateScenario> {
  let result: ReturnType<typeof validateScenario>;
  try {
    result = validateScenario(input);
  } catch (err) {
    fail(`validateScenario threw: ${(err as Error)?.stack ?? String(err)}`);
  }
  if (result === null || typeof result !== 'object' || typeof result.ok !== 'boolean') fail(`validateScenario returned ${show(result)}`);
  for (const warning of result.warnings) checkIssue(warning, input, 'warning');
  if (!result.ok) {
    if (result.errors.length === 0) fail('the input was rejected without an error');
    if (result.errors.length > limits.MAX_REPORTED_ERRORS) fail(`${result.errors.length} errors returned; at most ${limits.MAX_REPORTED_ERRORS} should be, the rest counted`);
    for (const error of result.errors) checkIssue(error, input, 'error');
    const isObject = input !== null && typeof input === 'object' && !Array.isArray(input);
    if (!isObject && (result.errors.length !== 1 || result.errors[0]!.path !== '(top level)')) {
      fail(`input that is not a scenario object (${Array.isArray(input) ? 'an array' : input === null ? 'null' : typeof input}) should get one error at (top level), got ${show(result.errors)}`);
    }
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// What an accepted scenario must be.

/** Everything the validator accepts is within the limits of src/sim/scenario/limits.ts. */
function checkLimits(s: Scenario): void {
  const len = (what: string, value: string | undefined, max: number) => {
    if (value !== undefined && value.length > max) fail(`accepted a ${what} of ${value.length} characters (limit ${max})`);
  };
  len('title', s.title, limits.MAX_TITLE_LENGTH);
  len('description', s.description, limits.MAX_DESCRIPTION_LENGTH);
  if (s.devices.length > limits.MAX_DEVICES) fail(`accepted ${s.devices.length} devices (limit ${limits.MAX_DEVICES})`);
  if (s.links.length > limits.MAX_LINKS) fail(`accepted ${s.links.length} links (limit ${limits.MAX_LINKS})`);
  if (s.traffic.length > limits.MAX_TRAFFIC_ACTIONS) fail(`accepted ${s.traffic.length} traffic actions (limit ${limits.MAX_TRAFFIC_ACTIONS})`);
  for (const d of s.devices) {
    len('device label', d.label, limits.MAX_LABEL_LENGTH);
    if (d.position) {
      for (const axis of ['x', 'y'] as const) {
        const value = d.position[axis];
        if (!Number.isFinite(value) || Math.abs(value) > limits.MAX_COORDINATE) fail(`accepted position.${axis} = ${value} for ${d.id} (limit ±${limits.MAX_COORDINATE}, finite)`);
      }
    }
  }
  for (const a of s.traffic) {
    len('traffic label', a.label, limits.MAX_ACTION_LABEL_LENGTH);
    if (a.do === 'raw') len('payload', a.payload, limits.MAX_PAYLOAD_LENGTH);
  }
}

/** Every number anywhere in a layout is finite: NaN or Infinity in the SVG is a broken drawing. */
function checkFinite(value: unknown, path: string, seen = new Set<unknown>()): void {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) fail(`the layout has ${value} at ${path}`);
  } else if (typeof value === 'string') {
    if (/NaN|Infinity/.test(value) && path.endsWith('viewBox')) fail(`the layout's viewBox is "${value}"`);
  } else if (value !== null && typeof value === 'object' && !seen.has(value)) {
    seen.add(value);
    for (const [k, v] of Object.entries(value)) checkFinite(v, `${path}.${k}`, seen);
  }
}

/** The step budget for one run: small scenarios get room to finish, large ones (devices or actions by the hundred) a taste. */
function budgetFor(s: Scenario): number {
  return s.devices.length > 50 || s.traffic.length > 50 ? 300 : 5_000;
}

/** Runs a scenario the way the player and the CLI do; it must finish or halt with a named reason, and never throw. */
export function runChecked(s: Scenario, seed = 1): Simulation {
  let sim: Simulation;
  const budget = budgetFor(s);
  try {
    sim = new Simulation(s, { seed, history: false });
    sim.run(budget);
  } catch (err) {
    fail(`the simulation threw: ${(err as Error)?.stack ?? String(err)}`);
  }
  if (sim.canStep) fail(`run(${budget}) returned with steps left and no halt`);
  if (sim.halted) {
    if (typeof sim.halted.reason !== 'string' || (sim.halted.reason as string) === '') fail(`halted without a named reason: ${show(sim.halted)}`);
    if (typeof sim.halted.text !== 'string' || sim.halted.text.trim() === '') fail(`halted (${sim.halted.reason}) without a sentence for the reader`);
  } else if (!sim.isQuiescent) fail('run() stopped neither halted nor quiescent');
  if (sim.stepCount > budget + 1) fail(`run(${budget}) took ${sim.stepCount} steps`);
  try {
    buildReport(sim);
    for (const d of s.devices) {
      macTable(sim.state, d.id);
      arpCache(sim.state, d.id);
      routingTable(sim.state, d.id);
    }
  } catch (err) {
    fail(`the report or a table threw after the run: ${(err as Error)?.stack ?? String(err)}`);
  }
  return sim;
}

/** What must hold of any scenario the validator accepts: limits, export survives, it lays out and runs. */
export function checkAccepted(s: Scenario): void {
  checkLimits(s);
  // Export and Share write JSON: what was accepted must be accepted again, unchanged, after the trip.
  const again = validateScenario(JSON.parse(JSON.stringify(s)));
  if (!again.ok) fail(`accepted, but rejected after a trip through JSON (Export, Share): ${show(again.errors)}`);
  // Compared as JSON: -0 written as 0 is no change a reader could see.
  const before = JSON.stringify(s);
  const after = JSON.stringify(again.scenario);
  if (before !== after) fail(`accepted, but changed by a trip through JSON (Export, Share): ${show(before)} became ${show(after)}`);
  let layout: unknown;
  try {
    layout = layoutScenario(s);
  } catch (err) {
    fail(`layoutScenario threw: ${(err as Error)?.stack ?? String(err)}`);
  }
  checkFinite(layout, 'layout');
  runChecked(s);
}

/** JSON text in, as the site reads it: parse, validate, and if accepted, everything an accepted scenario must do. */
function checkText(text: string): void {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return; // not JSON: the generators only make JSON, but a hand-written regression may not be
  }
  const result = validateChecked(data);
  if (result.ok) checkAccepted(result.scenario);
}

// ---------------------------------------------------------------------------------------------
// The simulation: determinism and step back.

function actionFor(s: Scenario, op: { from: number; to: number; do: 'ping' | 'arp' | 'raw' }): TrafficAction | null {
  const hosts = s.devices.filter((d) => d.kind === 'host');
  const withIp = hosts.filter((d) => d.kind === 'host' && d.nics.some((n) => n.ip || n.vlans?.length));
  if (op.do === 'raw') return hosts.length ? { do: 'raw', from: hosts[op.from % hosts.length]!.id, to: op.to % 3 === 0 ? 'broadcast' : hosts[op.to % hosts.length]!.id } : null;
  if (!withIp.length) return null;
  return { do: op.do, from: withIp[op.from % withIp.length]!.id, to: withIp[op.to % withIp.length]!.id };
}

/** Replays `ops` on a fresh simulation, stopping once it has taken `stopAt` steps (or at the end). */
/** `history: false`: a run that records every event as it goes, where one with history records run()'s events when they are read (by replay). */
function play(input: SimulationInput, scenario: Scenario, stopAt = Infinity, history = true): Simulation {
  const sim = new Simulation(scenario, { seed: input.seed, history, ...(input.checkpointInterval !== undefined ? { checkpointInterval: input.checkpointInterval } : {}) });
  for (const op of input.ops) {
    if (sim.stepCount >= stopAt) break;
    if (op === 'step') sim.step();
    else {
      const action = actionFor(scenario, op);
      if (action) sim.inject(action);
    }
  }
  return sim;
}

function validOrFail(s: Scenario): Scenario {
  const result = validateChecked(s);
  if (!result.ok) fail(`a scenario valid by construction was rejected: ${show(result.errors)}`);
  return result.scenario;
}

function compareRuns(a: Simulation, b: Simulation, what: string): void {
  if (a.stepCount !== b.stepCount) fail(`${what}: step ${a.stepCount} against ${b.stepCount}`);
  if (a.trace.length !== b.trace.length) fail(`${what}: the traces have ${a.trace.length} and ${b.trace.length} events`);
  for (let i = 0; i < a.trace.length; i++) {
    if (!isDeepStrictEqual(a.trace[i], b.trace[i])) fail(`${what}: trace event ${i} differs: ${show(a.trace[i])} against ${show(b.trace[i])}`);
  }
  // The queue is compared by what it will run, in order: its buckets' layout (the earliest one's
  // popped slots, the heap of times, the Map's order) depends on how it got there — a snapshot
  // copy compacts it — and is no part of the state a run can observe.
  const { queue: queueA, ...restA } = a.state;
  const { queue: queueB, ...restB } = b.state;
  const sameQueue = isDeepStrictEqual(queueInOrder(queueA), queueInOrder(queueB));
  if (!sameQueue || !isDeepStrictEqual(restA, restB)) {
    const keys = Object.keys(a.state) as Array<keyof typeof a.state>;
    const differing = keys.filter((k) => (k === 'queue' ? !sameQueue : !isDeepStrictEqual(a.state[k], b.state[k])));
    fail(`${what}: the states differ in ${differing.join(', ') || 'their prototypes'}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Share links and saved edits.

/** A payload in the share-link format around arbitrary JSON text (what a hand-made link can hold). */
export async function payloadFromJsonText(text: string): Promise<string> {
  return payloadFromBytes(new TextEncoder().encode(text), true);
}

/** The share-link format around any bytes: version digit, base64url, optionally deflated first. */
async function payloadFromBytes(raw: Uint8Array, deflate: boolean): Promise<string> {
  const bytes = deflate ? new Uint8Array(await new Response(new Blob([raw as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new CompressionStream('deflate'))).arrayBuffer()) : raw;
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return `1${btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}`;
}

async function payloadFor(input: ShareInput): Promise<string> {
  if (input.kind === 'random') return input.payload;
  if (input.kind === 'json') return payloadFromJsonText(input.text);
  if (input.kind === 'bytes') return payloadFromBytes(new Uint8Array(input.bytes), input.deflate);
  const valid = validOrFail(input.scenario);
  return applyTamper(await encodeScenario(valid), input.tamper);
}

async function checkDecode(input: ShareInput): Promise<void> {
  const payload = await payloadFor(input);
  let result: Awaited<ReturnType<typeof decodeScenario>>;
  try {
    result = await decodeScenario(payload);
  } catch (err) {
    fail(`decodeScenario threw: ${(err as Error)?.stack ?? String(err)}`);
  }
  if (result === null || typeof result !== 'object' || typeof result.ok !== 'boolean') fail(`decodeScenario returned ${show(result)}`);
  if (result.ok) {
    const again = validateChecked(result.scenario);
    if (!again.ok) fail(`decodeScenario returned a scenario the validator rejects: ${show(again.errors)}`);
    checkLimits(result.scenario);
  } else checkWords(result.error, 'decodeScenario error');
}

/**
 * A storage that lists its entries but cannot read them: Firefox throws from getItem when its
 * storage file is corrupt (NS_ERROR_FILE_CORRUPTED), and a sandboxed page may be refused access.
 */
class UnreadableStorage implements StorageLike {
  constructor(private readonly inner: MemoryStorage) {}
  get length(): number {
    return this.inner.length;
  }
  key(i: number): string | null {
    return this.inner.key(i);
  }
  getItem(): string | null {
    throw new DOMException('The operation is insecure.', 'SecurityError');
  }
  setItem(): void {
    throw new DOMException('The operation is insecure.', 'SecurityError');
  }
  removeItem(key: string): void {
    this.inner.removeItem(key);
  }
}

const EDITS_PREFIX = 'vnet-live:edits:';
/** Storage keys of a later scenario format ("…scenario@2|id"): a newer version of the site saved them. */
function isNewerFormatKey(key: string, id: string): boolean {
  const m = /^vnet-live\/scenario@(\d+)$/.exec(key.slice(EDITS_PREFIX.length, key.length - id.length - 1));
  return key.startsWith(EDITS_PREFIX) && key.endsWith(`|${id}`) && m !== null && Number(m[1]) > Number(SCENARIO_FORMAT.split('@')[1]);
}

function checkLoadEdits(input: StorageInput): void {
  const memory = new MemoryStorage();
  for (const [k, v] of input.entries) memory.setItem(k, v);
  const before = new Map(memory.keys().map((k) => [k, memory.getItem(k)]));
  const storage: StorageLike = input.throws ? new UnreadableStorage(memory) : memory;
  let result: ReturnType<typeof loadEdits>;
  try {
    result = loadEdits(storage, input.id);
  } catch (err) {
    fail(`loadEdits threw: ${(err as Error)?.stack ?? String(err)}`);
  }
  if (result === null || typeof result !== 'object' || (result.kind !== 'none' && result.kind !== 'ok')) fail(`loadEdits returned ${show(result)}`);
  if (result.notice !== undefined) checkWords(result.notice, 'loadEdits notice');
  if (result.kind === 'ok') {
    const again = validateChecked(result.scenario);
    if (!again.ok) fail(`loadEdits returned a scenario the validator rejects: ${show(again.errors)}`);
    if (result.scenario.id !== input.id) fail(`loadEdits for "${input.id}" returned experiment "${result.scenario.id}"`);
    checkLimits(result.scenario);
  }
  for (const [key, value] of before) {
    const ours = key.startsWith(EDITS_PREFIX) && key.endsWith(`|${input.id}`);
    if ((!ours || isNewerFormatKey(key, input.id)) && memory.getItem(key) !== value) {
      fail(`loadEdits("${input.id}") ${memory.getItem(key) === null ? 'removed' : 'changed'} ${show(key)}, which ${ours ? 'a newer version of the site saved' : 'is not its own'}`);
    }
  }
}

/** The editor's Import (the CLI's reader): never throws, the same verdict with or without a byte-order mark, and what it accepts exports and imports again unchanged. */
function checkImport(input: ImportInput): void {
  const read = (text: string): ImportResult => {
    try {
      return importText(text, input.id);
    } catch (err) {
      fail(`importText threw: ${(err as Error)?.stack ?? String(err)}`);
    }
  };
  const result = read(input.bom ? `\uFEFF${input.text}` : input.text);
  if (result.ok) {
    const again = validateChecked(result.scenario);
    if (!again.ok) fail(`importText accepted a scenario the validator rejects: ${show(again.errors)}`);
    if (result.scenario.id !== input.id) fail(`imported into "${input.id}", the scenario has id "${result.scenario.id}"`);
    checkLimits(result.scenario);
    if (result.note !== undefined) checkWords(result.note, 'importText note');
    const reimported = read(exportText(result.scenario));
    if (!reimported.ok) fail(`an imported scenario, exported, is refused on import: ${show(reimported.errors)}`);
    if (JSON.stringify(reimported.scenario) !== JSON.stringify(result.scenario)) fail('an imported scenario changed when exported and imported again');
  } else {
    if (result.errors.length === 0) fail('the file was refused without an error');
    if (result.errors.length > limits.MAX_REPORTED_ERRORS) fail(`${result.errors.length} error lines; at most ${limits.MAX_REPORTED_ERRORS}`);
    if (!Number.isInteger(result.omitted) || result.omitted < 0) fail(`omitted is ${result.omitted}`);
    for (const line of result.errors) checkWords(line, 'importText error');
  }
  // A byte-order mark (Notepad writes one) changes nothing: issue 8 saw the CLI refuse what Import accepted.
  const other = read(input.bom ? input.text : `\uFEFF${input.text}`);
  if (!input.text.startsWith('\uFEFF') && JSON.stringify(other) !== JSON.stringify(result)) {
    fail(`a byte-order mark changes the verdict: ${show(input.bom ? other : result, 200)} without it, ${show(input.bom ? result : other, 200)} with it`);
  }
}

// ---------------------------------------------------------------------------------------------
// The properties.

export const properties: ReadonlyArray<FuzzProperty<any>> = [
  {
    name: 'valid-scenarios',
    about: 'a scenario valid by construction is accepted, survives export, lays out with finite numbers, and runs to its end or halts with a named reason',
    arbitrary: validScenario,
    check: (s: Scenario) => checkAccepted(validOrFail(s)),
    async: false,
    runs: 1_000,
  } satisfies FuzzProperty<Scenario>,
  {
    name: 'near-valid',
    about: 'a chapter scenario mutated field by field: validation never throws, every error names a path in the site\'s words, and what is accepted runs',
    arbitrary: nearValidText,
    check: checkText,
    async: false,
    runs: 4_000,
  } satisfies FuzzProperty<string>,
  {
    name: 'hostile',
    about: 'prototype keys, extreme numbers, long and strange strings, deep nesting, many entries, non-objects: the same as near-valid',
    arbitrary: hostileText,
    check: checkText,
    async: false,
    runs: 1_800,
  } satisfies FuzzProperty<string>,
  {
    name: 'determinism',
    about: 'the same scenario and seed give the same trace and state (one run recording its events as they happen, the other when they are read, by replay), and running does not change the scenario',
    arbitrary: simulationInput,
    check: (input: SimulationInput) => {
      const scenario = validOrFail(input.scenario);
      const snapshot = structuredClone(scenario);
      const a = play(input, scenario);
      a.run(budgetFor(scenario));
      const b = play(input, structuredClone(scenario), Infinity, false);
      b.run(budgetFor(scenario));
      compareRuns(a, b, 'two runs of the same input (with history, and without)');
      if (!isDeepStrictEqual(scenario, snapshot)) fail('running the simulation changed the scenario it was given');
    },
    async: false,
    runs: 350,
  } satisfies FuzzProperty<SimulationInput>,
  {
    name: 'step-back',
    about: 'stepping k times then back j equals stepping k − j times from scratch (trace and state)',
    arbitrary: simulationInput,
    check: (input: SimulationInput) => {
      const scenario = validOrFail(input.scenario);
      const forward = play(input, scenario);
      const k = forward.stepCount;
      const j = Math.min(input.back, k);
      for (let i = 0; i < j; i++) if (!forward.stepBack()) fail(`stepBack() refused at step ${forward.stepCount}`);
      const replay = play(input, structuredClone(scenario), k - j);
      compareRuns(forward, replay, `${k} steps then ${j} back, against ${k - j} steps`);
      // And the run goes on from there exactly as a fresh one does.
      forward.run(200);
      replay.run(200);
      compareRuns(forward, replay, `${k} steps, ${j} back, then 200 more, against ${k - j} steps then 200 more`);
    },
    async: false,
    runs: 250,
  } satisfies FuzzProperty<SimulationInput>,
  {
    name: 'share-round-trip',
    about: 'a valid scenario encoded as a share link decodes to the same scenario',
    arbitrary: validScenario,
    check: async (s: Scenario) => {
      const valid = validOrFail(s);
      const decoded = await decodeScenario(await encodeScenario(valid));
      if (!decoded.ok) fail(`the site's own link was refused: ${decoded.error}`);
      if (!isDeepStrictEqual(decoded.scenario, valid)) fail('the scenario changed on its way through a share link');
    },
    async: true,
    runs: 250,
  } satisfies FuzzProperty<Scenario>,
  {
    name: 'share-decode',
    about: 'a damaged, hand-made or random share link never throws: a valid scenario or an error sentence in the site\'s words',
    arbitrary: shareInput,
    check: checkDecode,
    async: true,
    runs: 1_000,
  } satisfies FuzzProperty<ShareInput>,
  {
    name: 'import-file',
    about: 'Import (the CLI\'s reader) never throws, gives the same verdict with a byte-order mark, and what it accepts survives Export and Import',
    arbitrary: importInput,
    check: checkImport,
    async: false,
    runs: 800,
  } satisfies FuzzProperty<ImportInput>,
  {
    name: 'saved-edits',
    about: 'loadEdits on any localStorage content never throws, returns a valid scenario of this experiment or none, and leaves others\' and newer versions\' entries alone',
    arbitrary: storageInput,
    check: checkLoadEdits,
    async: false,
    runs: 1_400,
  } satisfies FuzzProperty<StorageInput>,
];

export function propertyNamed(name: string): FuzzProperty {
  const found = properties.find((p) => p.name === name);
  if (!found) throw new Error(`no fuzz property "${name}"; known: ${properties.map((p) => p.name).join(', ')}`);
  return found;
}

/**
 * Shrinking stops after this many attempts or this long after the first failure: fast-check would
 * otherwise spend minutes taking a big scenario apart one field at a time. What is left is still
 * a failing input (the smallest found so far), and its path still replays it.
 */
const SHRINK_ATTEMPTS = 2_000;
const SHRINK_MS = 15_000;

/** The property's check, made to pass every input once the shrinking budget is spent, which ends the shrinking. */
function withShrinkBudget<T>(check: (input: T) => void | Promise<void>): (input: T) => Promise<void> | void {
  let firstFailure: number | null = null;
  let attempts = 0;
  const spent = () => firstFailure !== null && (++attempts > SHRINK_ATTEMPTS || performance.now() - firstFailure > SHRINK_MS);
  const failed = (err: unknown): never => {
    firstFailure ??= performance.now();
    throw err;
  };
  return (input: T) => {
    if (spent()) return;
    try {
      const result = check(input);
      return result instanceof Promise ? result.catch(failed) : result;
    } catch (err) {
      return failed(err);
    }
  };
}

/** Runs one property with fast-check; resolves to fast-check's details (failed, seed, path, counterexample). */
export function runProperty(p: FuzzProperty, params: { seed: number; numRuns: number; path?: string }): Promise<fc.RunDetails<[unknown]>> {
  const options = { seed: params.seed, numRuns: params.numRuns, ...(params.path ? { path: params.path } : {}) };
  const check = withShrinkBudget(p.check);
  if (p.async) return fc.check(fc.asyncProperty(p.arbitrary, async (input) => { await check(input); }), options) as Promise<fc.RunDetails<[unknown]>>;
  return Promise.resolve(fc.check(fc.property(p.arbitrary, (input) => { check(input); }), options) as fc.RunDetails<[unknown]>);
}
