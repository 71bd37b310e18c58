// The fuzzer's generators (fast-check arbitraries): valid scenarios built so that they validate,
// near-valid ones (each chapter scenario mutated field by field), hostile input (prototype keys,
// extreme numbers, long and strange strings, deep nesting, many entries), share-link payloads and
// the contents of a browser's localStorage. Everything is small on purpose: the default run must
// do thousands of cases in seconds.

import fc from 'fast-check';
import { dockerHostScenario } from '../../src/scenarios/docker-host.ts';
import { scenarios } from '../../src/scenarios/index.ts';
import { SCENARIO_FORMAT, SCENARIO_FORMAT_V1, type BridgeNetdevSpec, type DeviceSpec, type HostNicSpec, type HostSpec, type LinkSpec, type NatSpec, type RouterSpec, type Scenario, type SwitchPortSpec, type TrafficAction, type VxlanSpec } from '../../src/sim/scenario/format.ts';
import { cloneJson, Entries, fromPlain, getAt, isObj, Nested, obj, pathsOf, RawNumber, toJsonText, type Json, type Step } from './json-text.ts';

// ---------------------------------------------------------------------------------------------
// Pools of awkward values, shared by every generator.

/** Names that are members of Object.prototype: a lookup through a plain object finds them. */
export const PROTO_KEYS = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', 'propertyIsEnumerable', 'toLocaleString', '__defineGetter__', '__lookupSetter__'] as const;

/** Short strings that break naive text handling: direction overrides, combining marks, emoji, lone surrogates, NUL, BOM. */
export const STRANGE_STRINGS = [
  '\u202Eevil\u202C',
  '\u05E9\u05DC\u05D5\u05DD',
  'e\u0301\u0301\u0301',
  '\u{1F468}\u200D\u{1F469}\u200D\u{1F467}',
  '\uD800',
  '\uDFFF',
  'a\uDC00b',
  '\u0000',
  '\uFEFF',
  '\u2028\u2029',
  '<script>alert(1)</script>',
  '"},{"',
  '%s%n',
  ' ',
  '',
] as const;

/** Numbers at and beyond every edge, some only writable as JSON text (1e999 parses to Infinity). */
export const EXTREME_NUMBERS: readonly Json[] = [
  -1, 0, 0.5, 1.5, 4094, 4095, 4096, 65_536, 86_400_001, 1_000_001, 2 ** 31, 2 ** 53, -(2 ** 31),
  1e308, -1e308, 5e-324, 1e21,
  new RawNumber('1e999'), new RawNumber('-1e999'), new RawNumber('-0'), new RawNumber('1e-400'),
];

/** Values of every JSON type, for "wrong type" mutations. */
const WRONG_TYPES: readonly Json[] = [null, true, false, 0, 7, '', 'x', '7', [], [1], obj(), obj([['x', 1]])];

const protoKey = fc.constantFrom(...PROTO_KEYS);
const strange = fc.constantFrom(...STRANGE_STRINGS);
const extremeNumber = fc.constantFrom(...EXTREME_NUMBERS);

/** One unbroken word, up to `max` characters: the kind of title that froze the tab. */
const longWord = (max: number) => fc.tuple(fc.constantFrom('x', 'W', '\u00E9', '\u{1F600}', '\u202E', 'a\u0301'), fc.integer({ min: 100, max })).map(([unit, n]) => unit.repeat(Math.ceil(n / unit.length)));

/** Text for labels and titles: mostly readable, in any script, sometimes strange. */
const text = (maxLength: number) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.string({ minLength: 1, maxLength, unit: 'grapheme' }).filter((s) => s.length >= 1 && s.length <= maxLength) },
    { weight: 1, arbitrary: strange.filter((s) => s.length >= 1) },
    { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength, unit: 'binary' }).filter((s) => s.length >= 1 && s.length <= maxLength) },
  );

// ---------------------------------------------------------------------------------------------
// (a) Valid scenarios, valid by construction.

const hex = (n: number) => n.toString(16).padStart(2, '0');
const macArb = fc
  .tuple(fc.boolean(), fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 6, maxLength: 6 }), fc.constantFrom(':', '-'), fc.boolean())
  .map(([local, bytes, sep, upper]) => {
    if (local) bytes[0] = 0x02; // mostly ordinary unicast addresses; sometimes multicast or zero (warnings, still valid)
    const mac = bytes.map(hex).join(sep);
    return upper ? mac.toUpperCase() : mac;
  });

/** Port names, including ones that are Object.prototype members: the crash of issue 8, case 1. */
const portBase = fc.constantFrom('eth0', 'eth1', 'p1', 'p2', 'p9', 'toString', 'constructor', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', 'x.y-z_1');
const VLANS = [1, 2, 10, 20, 4094] as const;
const vlanArb = fc.constantFrom(...VLANS);
const subnetArb = fc.integer({ min: 0, max: 3 });
const hostPart = fc.integer({ min: 1, max: 254 });
const positionArb = fc.record({ x: fc.integer({ min: -100_000, max: 100_000 }), y: fc.integer({ min: -100_000, max: 100_000 }) });
const opt = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

/** MTUs at Linux's IPv4 floor, the classic ones and a jumbo frame: fragments and DF drops happen between them. */
const mtuArb = fc.constantFrom(68, 576, 1280, 1400, 1500, 9000);
const udpPortArb = fc.constantFrom(7, 9, 53, 4789, 5000);
const udpListenArb = opt(fc.uniqueArray(udpPortArb, { minLength: 1, maxLength: 2 }));
const nicPlan = fc.record({
  port: portBase,
  mac: macArb,
  ip: opt(fc.tuple(subnetArb, hostPart)),
  vlans: fc.uniqueArray(fc.record({ vlan: vlanArb, subnet: subnetArb, host: hostPart, mtu: opt(mtuArb) }), { maxLength: 2, selector: (s) => s.vlan }),
  mtu: opt(mtuArb),
});
const common = { label: opt(text(40)), position: opt(positionArb) };

/**
 * Format 2's namespace fields: the machine a host or router is a namespace of (few names, so that
 * namespaces often share one and veth pairs can join them; one an Object.prototype member), and
 * bridge net devices over its NICs. A bridge picks its ports among the device's NICs by index; the
 * build strips those NICs of addresses and sub-interfaces (the validator's rule) and makes the
 * bridge's MAC unicast (Linux refuses any other).
 */
const nodeArb = opt(fc.constantFrom('n0', 'n1', 'constructor'));
const bridgeNameArb = fc.constantFrom('br0', 'br1', 'docker0', 'toString');
const bridgePlan = fc.record({
  name: bridgeNameArb,
  mac: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 6, maxLength: 6 }),
  ip: opt(fc.tuple(subnetArb, hostPart)),
  ports: fc.array(fc.nat(), { maxLength: 3 }),
  ageingTime: opt(fc.constantFrom(0, 1, 300)),
  mtu: opt(mtuArb),
});
const bridgesArb = fc.oneof({ weight: 2, arbitrary: fc.constant([]) }, { weight: 1, arbitrary: fc.array(bridgePlan, { minLength: 1, maxLength: 2 }) });
/**
 * VXLAN devices (a VTEP): picked among the device's addresses (`local`) and NICs (`dev`) by index,
 * remotes anywhere in the fuzzer's subnets (often another device's address, so that tunnels meet),
 * sometimes a port of one of the device's bridges; VNIs and ports from a few values, so that two
 * VTEPs often agree and sometimes do not.
 */
const vxlanPlan = fc.record({
  name: fc.constantFrom('vxlan0', 'vxlan1', 'toString'),
  mac: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 6, maxLength: 6 }),
  vni: fc.constantFrom(0, 42, 42, 43, 16_777_215),
  local: opt(fc.nat()),
  dev: opt(fc.nat()),
  dstport: opt(fc.constantFrom(8472, 4789)),
  learning: opt(fc.boolean()),
  udpcsum: opt(fc.boolean()),
  ageing: opt(fc.constantFrom(0, 1, 300)),
  mtu: opt(mtuArb),
  ip: opt(fc.tuple(subnetArb, hostPart)),
  bridge: opt(fc.nat()),
  fdb: fc.array(fc.record({ zero: fc.boolean(), mac: macArb, dst: fc.tuple(subnetArb, hostPart) }), { maxLength: 3 }),
});
const vxlansArb = fc.oneof({ weight: 2, arbitrary: fc.constant([]) }, { weight: 1, arbitrary: fc.array(vxlanPlan, { minLength: 1, maxLength: 2 }) });
/**
 * NAT on a namespace (issue 12), sometimes: masquerade rules and port forwards naming its
 * interfaces by index (the build makes them names), forwards to addresses of the fuzzer's subnets.
 */
const natArb = fc.oneof(
  { weight: 3, arbitrary: fc.constant(undefined) },
  {
    weight: 1,
    arbitrary: fc.record({
      masquerade: fc.array(fc.record({ nic: fc.nat(), source: opt(subnetArb) }), { maxLength: 2 }),
      forward: fc.array(fc.record({ nic: fc.nat(), port: udpPortArb, to: fc.tuple(subnetArb, hostPart), toPort: opt(udpPortArb) }), { maxLength: 2 }),
    }),
  },
);
/**
 * macvlan and ipvlan children (issue 12): each a new NIC of a namespace with a node, on a NIC or
 * sub-interface of a namespace of the same node (picked by index), in a mode; the build keeps what
 * Linux accepts (one kind per parent, one passthru child alone, ipvlan's one mode per parent and
 * the parent's MAC, no parent that is a bridge port or a child).
 */
const childPlan = fc.record({
  child: fc.nat(),
  parent: fc.nat(),
  lower: fc.nat(),
  kind: fc.constantFrom('macvlan' as const, 'ipvlan' as const),
  macvlanMode: fc.constantFrom('private' as const, 'vepa' as const, 'bridge' as const, 'passthru' as const, 'source' as const),
  ipvlanMode: fc.constantFrom('l2' as const, 'l3' as const, 'l3s' as const),
  ip: opt(fc.tuple(subnetArb, hostPart)),
  source: macArb,
});
const devicePlan = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant('host' as const), node: nodeArb, nics: fc.array(nicPlan, { minLength: 1, maxLength: 3 }), bridges: bridgesArb, vxlans: vxlansArb, gateway: opt(fc.tuple(fc.nat(), hostPart)), udpListen: udpListenArb, nat: natArb, ...common }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('hub' as const), ports: fc.array(portBase, { minLength: 1, maxLength: 4 }), ...common }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('bridge' as const),
      ports: fc.array(portBase, { minLength: 1, maxLength: 4 }),
      ageingTime: opt(fc.integer({ min: 0, max: 600 })),
      /** fdb_max_learned, sometimes small enough to fill: frames to unlearned MACs then flood. */
      fdbMaxLearned: opt(fc.integer({ min: 0, max: 3 })),
      /** Its own interface (br0 with an address), sometimes: it then sends and answers like a host. */
      local: opt(fc.tuple(macArb, subnetArb, hostPart)),
      ...common,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('switch' as const),
      ports: fc.array(
        fc.record({
          port: portBase,
          trunk: fc.boolean(),
          vlan: opt(vlanArb),
          vlans: fc.uniqueArray(vlanArb, { maxLength: 3 }),
          native: opt(vlanArb),
          maxMacs: opt(fc.integer({ min: 1, max: 3 })),
          hairpin: fc.boolean(),
        }),
        { minLength: 1, maxLength: 4 },
      ),
      ageingTime: opt(fc.integer({ min: 0, max: 600 })),
      fdbMaxLearned: opt(fc.integer({ min: 0, max: 3 })),
      macVlans: fc.uniqueArray(fc.record({ mac: macArb, vlan: vlanArb }), { maxLength: 2, selector: (m) => m.mac.toLowerCase().replace(/-/g, ':') }),
      ...common,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('router' as const),
      node: nodeArb,
      nics: fc.array(nicPlan, { minLength: 1, maxLength: 3 }),
      bridges: bridgesArb,
      vxlans: vxlansArb,
      routes: fc.array(fc.record({ to: fc.constantFrom('0.0.0.0/0', '10.9.0.0/16', '192.168.1.0/24', '10.0.2.0/24'), nic: fc.nat(), host: hostPart }), { maxLength: 2 }),
      udpListen: udpListenArb,
      nat: natArb,
      ...common,
    }),
  },
);
const actionPlan = fc.record({
  do: fc.constantFrom('ping' as const, 'arp' as const, 'raw' as const, 'udp' as const),
  from: fc.nat(),
  toKind: fc.constantFrom('device', 'device', 'ip', 'broadcast', 'mac'),
  to: fc.nat(),
  ip: fc.tuple(subnetArb, hostPart),
  mac: macArb,
  at: opt(fc.integer({ min: 0, max: 5_000 })),
  label: opt(text(80)),
  payload: opt(fc.oneof(text(200), fc.constant(''))),
  /** ping -s or a datagram's size: around the 1500 edge, at 0, and one that needs three fragments on 1500. */
  size: opt(fc.constantFrom(0, 56, 1472, 1473, 3000)),
  mtuDiscovery: opt(fc.constantFrom('want' as const, 'do' as const, 'dont' as const)),
  port: udpPortArb,
  sourcePort: opt(fc.integer({ min: 1, max: 65_535 })),
});

/** Unique within one device: a repeated base gets a number ("eth0", "eth02"), staying within 16 characters. */
function uniquePorts(names: string[]): string[] {
  const seen = new Set<string>();
  return names.map((name, i) => {
    let port = name;
    if (seen.has(port)) port = `${name.slice(0, 12)}${i}`;
    seen.add(port);
    return port;
  });
}

function cidr(subnet: number, host: number): string {
  return `10.0.${subnet}.${host}/24`;
}

function buildNics(plans: Array<{ port: string; mac: string; ip: [number, number] | undefined; vlans: Array<{ vlan: number; subnet: number; host: number; mtu: number | undefined }>; mtu: number | undefined }>): HostNicSpec[] {
  const ports = uniquePorts(plans.map((p) => p.port));
  return plans.map((p, i) => {
    const nic: HostNicSpec = { port: ports[i]!, mac: p.mac };
    if (p.ip) nic.ip = cidr(p.ip[0], p.ip[1]);
    // A sub-interface's MTU is at most its NIC's (Linux refuses more).
    if (p.vlans.length) nic.vlans = p.vlans.map((s) => ({ vlan: s.vlan, ip: cidr(s.subnet, s.host), ...(s.mtu !== undefined ? { mtu: Math.min(s.mtu, p.mtu ?? 1500) } : {}) }));
    if (p.mtu !== undefined) nic.mtu = p.mtu;
    return nic;
  });
}

type BridgePlan = { name: string; mac: number[]; ip: [number, number] | undefined; ports: number[]; ageingTime: number | undefined; mtu: number | undefined };

/**
 * A namespace's bridges, valid by construction: a name no NIC, sub-interface or earlier bridge has
 * (else one made unique), ports among the NICs no other bridge took, and those NICs left without
 * `ip` and `vlans` (changed in place: `nics` is the device's own fresh list).
 */
function buildBridges(plans: readonly BridgePlan[], nics: HostNicSpec[]): BridgeNetdevSpec[] {
  const names = new Set(nics.flatMap((nic) => [nic.port, ...(nic.vlans ?? []).map((sub) => `${nic.port}.${sub.vlan}`)]));
  const taken = new Set<string>();
  return plans.map((plan, k) => {
    let name = plan.name;
    if (names.has(name)) name = `${plan.name.slice(0, 12)}b${k}`;
    names.add(name);
    const ports: string[] = [];
    for (const pick of plan.ports) {
      const nic = nics[pick % nics.length]!;
      if (taken.has(nic.port)) continue;
      taken.add(nic.port);
      ports.push(nic.port);
      delete nic.ip;
      delete nic.vlans;
    }
    // Unicast, never zero: a locally administered address.
    const mac = plan.mac.map((b, i) => hex(i === 0 ? (b & 0xfc) | 0x02 : b)).join(':');
    const bridge: BridgeNetdevSpec = { name, mac, ports };
    if (plan.ip) bridge.ip = cidr(plan.ip[0], plan.ip[1]);
    if (plan.ageingTime !== undefined) bridge.ageingTime = plan.ageingTime;
    if (plan.mtu !== undefined) bridge.mtu = plan.mtu;
    return bridge;
  });
}

type VxlanPlan = { name: string; mac: number[]; vni: number; local: number | undefined; dev: number | undefined; dstport: number | undefined; learning: boolean | undefined; udpcsum: boolean | undefined; ageing: number | undefined; mtu: number | undefined; ip: [number, number] | undefined; bridge: number | undefined; fdb: Array<{ zero: boolean; mac: string; dst: [number, number] }> };

/**
 * A namespace's VXLAN devices, valid by construction: a name no other interface has, one device per
 * VNI and port, `local` one of its addresses, `dev` one of its NICs, remotes that are not its own
 * addresses, one remote per unicast MAC, no line twice, and no address on a bridge port.
 */
function buildVxlans(plans: readonly VxlanPlan[], nics: HostNicSpec[], bridges: BridgeNetdevSpec[]): VxlanSpec[] {
  const names = new Set([...nics.flatMap((nic) => [nic.port, ...(nic.vlans ?? []).map((sub) => `${nic.port}.${sub.vlan}`)]), ...bridges.map((b) => b.name)]);
  const own = [...nics.flatMap((nic) => [...(nic.ip ? [nic.ip] : []), ...(nic.vlans ?? []).map((s) => s.ip)]), ...bridges.flatMap((b) => (b.ip ? [b.ip] : []))].map((ip) => ip.split('/')[0]!);
  const vnis = new Set<string>();
  // Every VXLAN device's address is the namespace's too: known before any remote is chosen.
  for (const plan of plans) if (plan.ip && (plan.bridge === undefined || bridges.length === 0)) own.push(cidr(plan.ip[0], plan.ip[1]).split('/')[0]!);
  return plans.map((plan, k) => {
    let name = plan.name;
    if (names.has(name)) name = `${plan.name.slice(0, 12)}x${k}`;
    names.add(name);
    let vni = plan.vni;
    while (vnis.has(`${vni}/${plan.dstport ?? 8472}`)) vni = (vni + 1) % 16_777_216;
    vnis.add(`${vni}/${plan.dstport ?? 8472}`);
    const mac = plan.mac.map((b, i) => hex(i === 0 ? (b & 0xfc) | 0x02 : b)).join(':');
    const vxlan: VxlanSpec = { name, mac, vni };
    if (plan.local !== undefined && own.length) vxlan.local = own[plan.local % own.length]!;
    if (plan.dev !== undefined) vxlan.dev = nics[plan.dev % nics.length]!.port;
    if (plan.dstport !== undefined) vxlan.dstport = plan.dstport;
    if (plan.learning !== undefined) vxlan.learning = plan.learning;
    if (plan.udpcsum !== undefined) vxlan.udpcsum = plan.udpcsum;
    if (plan.ageing !== undefined) vxlan.ageing = plan.ageing;
    if (plan.mtu !== undefined) vxlan.mtu = plan.mtu;
    const lines = new Set<string>();
    const unicast = new Set<string>();
    const fdb = plan.fdb.flatMap(({ zero, mac: entryMac, dst }) => {
      const address = cidr(dst[0], dst[1]).split('/')[0]!;
      const macAddress = zero ? '00:00:00:00:00:00' : entryMac.toLowerCase().replace(/-/g, ':');
      const group = zero || (parseInt(macAddress.slice(0, 2), 16) & 1) === 1;
      if (own.includes(address) || lines.has(`${macAddress} ${address}`) || (!group && unicast.has(macAddress))) return [];
      lines.add(`${macAddress} ${address}`);
      if (!group) unicast.add(macAddress);
      return [{ mac: macAddress, dst: address }];
    });
    if (fdb.length) vxlan.fdb = fdb;
    const bridge = plan.bridge === undefined || bridges.length === 0 ? undefined : bridges[plan.bridge % bridges.length]!;
    if (bridge) bridge.ports.push(name);
    else if (plan.ip) vxlan.ip = cidr(plan.ip[0], plan.ip[1]);
    return vxlan;
  });
}

/** The /24 subnets ("10.0.s") a namespace has addresses in, one entry per address: its NICs', then its bridges'. */
function subnetsOf(nics: HostNicSpec[], bridges: readonly BridgeNetdevSpec[] = [], vxlans: readonly VxlanSpec[] = []): string[] {
  return [...nics.flatMap((nic) => [...(nic.ip ? [nic.ip] : []), ...(nic.vlans ?? []).map((s) => s.ip)]), ...bridges.flatMap((b) => (b.ip ? [b.ip] : [])), ...vxlans.flatMap((x) => (x.ip ? [x.ip] : []))].map((ip) => ip.split('.').slice(0, 3).join('.'));
}

/** The format-2 fields of a namespace, only when present (a v1-shaped device stays as it was). */
function namespaceFields(node: string | undefined, bridges: BridgeNetdevSpec[], vxlans: VxlanSpec[] = []): Pick<HostSpec, 'node' | 'bridges' | 'vxlans'> {
  return { ...(node !== undefined ? { node } : {}), ...(bridges.length ? { bridges } : {}), ...(vxlans.length ? { vxlans } : {}) };
}

/**
 * Small valid topologies: 1–7 devices of every kind (the first is always a host), cables between
 * free ports chosen at random (so loops, bridged NICs and unplugged ports all happen), and up to
 * four actions. Positions are whole numbers so that a saved counterexample round-trips through JSON.
 */
export const validScenario: fc.Arbitrary<Scenario> = fc
  .record({
    first: devicePlan.filter((d) => d.kind === 'host'),
    rest: fc.array(devicePlan, { maxLength: 6 }),
    links: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 12 }),
    /** veth pairs between free NICs of namespaces of one node, made before the cables; some cables say "type": "cable". */
    veths: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 4 }),
    typedCables: fc.boolean(),
    /** After the random cables, join free ports of hubs, bridges and switches two by two: loops and storms. */
    loops: fc.oneof({ weight: 3, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
    traffic: fc.array(actionPlan, { minLength: 0, maxLength: 4 }),
    children: fc.oneof({ weight: 2, arbitrary: fc.constant([]) }, { weight: 1, arbitrary: fc.array(childPlan, { minLength: 1, maxLength: 3 }) }),
    title: text(60),
    description: opt(text(100)),
  })
  .map((plan) => {
    const counters: Record<string, number> = { host: 0, hub: 0, bridge: 0, switch: 0, router: 0 };
    const prefix: Record<string, string> = { host: 'H', hub: 'hub', bridge: 'br', switch: 'sw', router: 'R' };
    const devices: DeviceSpec[] = [plan.first, ...plan.rest].map((d) => {
      const id = `${prefix[d.kind]}${counters[d.kind]!++}`;
      const extra = { ...(d.label !== undefined ? { label: d.label } : {}), ...(d.position !== undefined ? { position: d.position } : {}) };
      switch (d.kind) {
        case 'host': {
          const nics = buildNics(d.nics);
          const bridges = buildBridges(d.bridges, nics);
          const vxlans = buildVxlans(d.vxlans, nics, bridges);
          const subnets = subnetsOf(nics, bridges, vxlans);
          const spec: DeviceSpec = { id, kind: 'host', ...namespaceFields(d.node, bridges, vxlans), nics, ...(d.udpListen ? { udpListen: d.udpListen } : {}), ...extra };
          if (d.gateway && subnets.length) spec.gateway = `${subnets[d.gateway[0] % subnets.length]}.${d.gateway[1]}`;
          const nat = buildNat(d.nat, nics, bridges);
          if (nat) spec.nat = nat;
          return spec;
        }
        case 'hub':
          return { id, kind: 'hub', ports: uniquePorts(d.ports), ...extra };
        case 'bridge':
          return {
            id,
            kind: 'bridge',
            ports: uniquePorts(d.ports),
            ...(d.ageingTime !== undefined ? { ageingTime: d.ageingTime } : {}),
            ...(d.fdbMaxLearned !== undefined ? { fdbMaxLearned: d.fdbMaxLearned } : {}),
            ...(d.local !== undefined ? { local: { mac: d.local[0], ip: cidr(d.local[1], d.local[2]) } } : {}),
            ...extra,
          };
        case 'switch': {
          const names = uniquePorts(d.ports.map((p) => p.port));
          const ports: SwitchPortSpec[] = d.ports.map((p, i) => {
            const port: SwitchPortSpec = { port: names[i]! };
            if (p.trunk) {
              port.mode = 'trunk';
              if (p.vlans.length) port.vlans = p.vlans;
              if (p.native !== undefined || !p.vlans.length) port.native = p.native ?? 1;
            } else if (p.vlan !== undefined) port.vlan = p.vlan;
            if (p.maxMacs !== undefined) port.maxMacs = p.maxMacs;
            if (p.hairpin) port.hairpin = true;
            return port;
          });
          return {
            id,
            kind: 'switch',
            ports,
            ...(d.ageingTime !== undefined ? { ageingTime: d.ageingTime } : {}),
            ...(d.fdbMaxLearned !== undefined ? { fdbMaxLearned: d.fdbMaxLearned } : {}),
            ...(d.macVlans.length ? { macVlans: d.macVlans } : {}),
            ...extra,
          };
        }
        case 'router': {
          const nics = buildNics(d.nics);
          const bridges = buildBridges(d.bridges, nics);
          const vxlans = buildVxlans(d.vxlans, nics, bridges);
          const subnets = subnetsOf(nics, bridges, vxlans);
          const routes = subnets.length ? d.routes.map((r) => ({ to: r.to, via: `${subnets[r.nic % subnets.length]}.${r.host}` })) : [];
          const nat = buildNat(d.nat, nics, bridges);
          return { id, kind: 'router', ...namespaceFields(d.node, bridges, vxlans), nics, ...(routes.length ? { routes } : {}), ...(d.udpListen ? { udpListen: d.udpListen } : {}), ...(nat ? { nat } : {}), ...extra };
        }
      }
    });

    const endpoints = devices.flatMap((d) => (d.kind === 'host' || d.kind === 'router' ? d.nics.map((n) => n.port) : d.kind === 'switch' ? d.ports.map((p) => p.port) : d.ports).map((port) => `${d.id}:${port}`));
    const used = new Set<string>();
    const links: LinkSpec[] = [];
    // veth pairs: two NICs of namespaces of one node (possibly one namespace, as Linux allows).
    const nodeOf = new Map<string, string>();
    const nicEnds: string[] = [];
    for (const d of devices) {
      if ((d.kind !== 'host' && d.kind !== 'router') || d.node === undefined) continue;
      for (const nic of d.nics) {
        nodeOf.set(`${d.id}:${nic.port}`, d.node);
        nicEnds.push(`${d.id}:${nic.port}`);
      }
    }
    if (nicEnds.length) {
      for (const [i, j] of plan.veths) {
        const a = nicEnds[i % nicEnds.length]!;
        const b = nicEnds[j % nicEnds.length]!;
        if (a === b || used.has(a) || used.has(b) || nodeOf.get(a) !== nodeOf.get(b)) continue;
        used.add(a);
        used.add(b);
        links.push({ a, b, type: 'veth' });
      }
    }
    for (const [i, j] of plan.links) {
      const a = endpoints[i % endpoints.length]!;
      const b = endpoints[j % endpoints.length]!;
      if (a === b || used.has(a) || used.has(b)) continue;
      used.add(a);
      used.add(b);
      links.push(plan.typedCables ? { a, b, type: 'cable' } : { a, b });
    }
    if (plan.loops) {
      const free = devices.filter((d) => d.kind === 'hub' || d.kind === 'bridge' || d.kind === 'switch').flatMap((d) => (d.kind === 'switch' ? d.ports.map((p) => p.port) : (d as { ports: string[] }).ports).map((port) => `${d.id}:${port}`)).filter((e) => !used.has(e));
      // Hosts first, so that their traffic reaches the loop; then the remaining ports pairwise.
      for (const h of devices) {
        if (h.kind !== 'host' || free.length === 0) continue;
        const nic = `${h.id}:${h.nics[0]!.port}`;
        if (!used.has(nic)) links.push({ a: nic, b: free.shift()! });
      }
      for (let i = 0; i + 1 < free.length; i += 2) links.push({ a: free[i]!, b: free[i + 1]! });
    }

    addChildren(devices, plan.children);
    // A child's address is its namespace's too: a VXLAN remote chosen before it may now be one of them.
    for (const d of devices) {
      if ((d.kind !== 'host' && d.kind !== 'router') || !d.vxlans) continue;
      const own = new Set(d.nics.flatMap((nic) => (nic.ip ? [nic.ip.split('/')[0]!] : [])));
      for (const vxlan of d.vxlans) if (vxlan.fdb) vxlan.fdb = vxlan.fdb.filter((entry) => !own.has(entry.dst));
    }

    const hosts = devices.filter((d) => d.kind === 'host');
    // A bridge with a local interface sends and is pinged like a host with an address.
    // A namespace whose only address is on one of its bridges is a sender and a target too.
    const hasIp = (d: DeviceSpec) =>
      ((d.kind === 'host' || d.kind === 'router') && (d.nics.some((n) => n.ip || n.vlans?.length) || (d.bridges ?? []).some((b) => b.ip) || (d.vxlans ?? []).some((x) => x.ip))) || (d.kind === 'bridge' && d.local !== undefined);
    const ipHosts = devices.filter((d) => (d.kind === 'host' || d.kind === 'bridge') && hasIp(d));
    const ipTargets = devices.filter(hasIp);
    const traffic: TrafficAction[] = [];
    for (const a of plan.traffic) {
      const kind = a.do !== 'raw' && ipHosts.length === 0 ? 'raw' : a.do;
      const from = (kind === 'raw' ? hosts : ipHosts)[a.from % (kind === 'raw' ? hosts.length : ipHosts.length)]!.id;
      let to: string;
      if (kind === 'raw') to = a.toKind === 'broadcast' ? 'broadcast' : a.toKind === 'mac' ? a.mac : hosts[a.to % hosts.length]!.id;
      else to = a.toKind === 'device' ? ipTargets[a.to % ipTargets.length]!.id : `10.0.${a.ip[0]}.${a.ip[1]}`;
      const action = { do: kind, from, to, ...(a.at !== undefined ? { at: a.at } : {}), ...(a.label !== undefined ? { label: a.label } : {}) } as TrafficAction;
      if (kind === 'raw' && a.payload !== undefined) (action as { payload?: string }).payload = a.payload;
      if ((kind === 'ping' || kind === 'udp') && a.size !== undefined) (action as { size?: number }).size = a.size;
      if (kind === 'ping' && a.mtuDiscovery !== undefined) (action as { mtuDiscovery?: string }).mtuDiscovery = a.mtuDiscovery;
      if (kind === 'udp') Object.assign(action, { port: a.port, ...(a.sourcePort !== undefined ? { sourcePort: a.sourcePort } : {}) });
      traffic.push(action);
    }

    // A loop is only interesting once a broadcast enters it.
    if (plan.loops) traffic.unshift({ do: 'raw', from: hosts[0]!.id, to: 'broadcast' });

    const scenario: Scenario = { format: SCENARIO_FORMAT, id: 'fuzz/valid', title: plan.title, devices, links, traffic };
    if (plan.description !== undefined) scenario.description = plan.description;
    return scenario;
  });

/** A namespace's NAT from its plan: rules on its interfaces (by index), one forward per (in, port). */
function buildNat(plan: { masquerade: Array<{ nic: number; source: number | undefined }>; forward: Array<{ nic: number; port: number; to: [number, number]; toPort: number | undefined }> } | undefined, nics: HostNicSpec[], bridges: readonly BridgeNetdevSpec[]): NatSpec | undefined {
  if (plan === undefined) return undefined;
  const names = [...nics.flatMap((n) => [n.port, ...(n.vlans ?? []).map((v) => `${n.port}.${v.vlan}`)]), ...bridges.map((b) => b.name)];
  const nat: NatSpec = {};
  const masquerade = plan.masquerade.map((m) => ({ out: names[m.nic % names.length]!, ...(m.source !== undefined ? { source: `10.0.${m.source}.0/24` } : {}) }));
  const seen = new Set<string>();
  const forward = plan.forward.flatMap((f) => {
    const into = names[f.nic % names.length]!;
    if (seen.has(`${into} ${f.port}`)) return [];
    seen.add(`${into} ${f.port}`);
    return [{ in: into, proto: 'udp' as const, port: f.port, to: `10.0.${f.to[0]}.${f.to[1]}`, ...(f.toPort !== undefined ? { toPort: f.toPort } : {}) }];
  });
  if (masquerade.length) nat.masquerade = masquerade;
  if (forward.length) nat.forward = forward;
  return nat;
}

type ChildPlan = typeof childPlan extends fc.Arbitrary<infer T> ? T : never;

/** Adds each planned macvlan/ipvlan child that Linux would accept as a new NIC (mv0, mv1, …) of a namespace with a node. */
function addChildren(devices: DeviceSpec[], plans: readonly ChildPlan[]): void {
  const namespaces = devices.filter((d): d is HostSpec | RouterSpec => (d.kind === 'host' || d.kind === 'router') && d.node !== undefined);
  if (namespaces.length === 0) return;
  /** Per lower ("dev:iface"): its kind, children's MACs and modes. */
  const lowers = new Map<string, { kind: 'macvlan' | 'ipvlan'; macs: string[]; modes: string[] }>();
  let made = 0;
  for (const plan of plans) {
    const child = namespaces[plan.child % namespaces.length]!;
    if (child.nics.length >= 16) continue;
    const family = namespaces.filter((d) => d.node === child.node);
    const parent = family[plan.parent % family.length]!;
    const candidates = parent.nics.flatMap((nic) => {
      if (nic.macvlan || nic.ipvlan || (parent.bridges ?? []).some((b) => b.ports.includes(nic.port))) return [];
      return [{ name: nic.port, mac: nic.mac }, ...(nic.vlans ?? []).map((v) => ({ name: `${nic.port}.${v.vlan}`, mac: nic.mac }))];
    });
    if (candidates.length === 0) continue;
    const lower = candidates[plan.lower % candidates.length]!;
    const key = `${parent.id}:${lower.name}`;
    const state = lowers.get(key);
    if (state !== undefined && state.kind !== plan.kind) continue;
    const port = `mv${made}`;
    if (child.nics.some((n) => n.port === port) || (child.bridges ?? []).some((b) => b.name === port)) continue;
    let nic: HostNicSpec;
    if (plan.kind === 'macvlan') {
      const mode = plan.macvlanMode;
      if (mode === 'passthru' && state !== undefined) continue;
      if (state?.modes.includes('passthru')) continue;
      const mac = mode === 'passthru' ? lower.mac : `06:00:00:00:00:${made.toString(16).padStart(2, '0')}`;
      if (mode !== 'passthru' && (mac === lower.mac || state?.macs.includes(mac))) continue;
      nic = { port, mac, macvlan: { parent: key, mode, ...(mode === 'source' ? { sources: [plan.source.toLowerCase().replace(/-/g, ':')] } : {}) } };
    } else {
      const mode = state?.modes[0] ?? plan.ipvlanMode;
      nic = { port, mac: lower.mac, ipvlan: { parent: key, mode: mode as 'l2' | 'l3' | 'l3s' } };
    }
    if (plan.ip !== undefined) nic.ip = cidr(plan.ip[0], plan.ip[1]);
    child.nics.push(nic);
    made += 1;
    const entry = state ?? { kind: plan.kind, macs: [], modes: [] };
    entry.macs.push(nic.mac);
    entry.modes.push(plan.kind === 'macvlan' ? nic.macvlan!.mode! : nic.ipvlan!.mode!);
    lowers.set(key, entry);
  }
}

/** A valid scenario with what a reader can do to it: a seed, and a list of steps and "Send packet" injections. */
export const simulationInput = fc.record({
  scenario: validScenario,
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  checkpointInterval: opt(fc.integer({ min: 1, max: 8 })),
  ops: fc.array(fc.oneof({ weight: 6, arbitrary: fc.constant('step' as const) }, { weight: 1, arbitrary: fc.record({ from: fc.nat(), to: fc.nat(), do: fc.constantFrom('ping' as const, 'arp' as const, 'raw' as const) }) }), { maxLength: 60 }),
  back: fc.nat({ max: 60 }),
});
export type SimulationInput = typeof simulationInput extends fc.Arbitrary<infer T> ? T : never;

// ---------------------------------------------------------------------------------------------
// (b) Near-valid: every chapter scenario, mutated field by field.

/** The chapter scenarios as they are on disk (validated, so MACs are canonical). */
export const chapterScenarios: ReadonlyArray<{ id: string; scenario: Scenario }> = Object.entries(scenarios).map(([id, scenario]) => ({ id, scenario }));

/** What near-valid and hostile edits start from: the chapter scenarios and the Docker-like host (format 2's nodes, veth links and a bridge net device). */
const mutationBases: ReadonlyArray<{ id: string; scenario: Scenario }> = [...chapterScenarios, { id: 'docker-host', scenario: dockerHostScenario() }];

type Mutation =
  | { op: 'delete'; at: number }
  | { op: 'wrong-type'; at: number; value: Json }
  | { op: 'out-of-range'; at: number; value: Json }
  | { op: 'swap'; at: number; with: number }
  | { op: 'duplicate'; at: number }
  | { op: 'add-key'; at: number; key: string; value: Json };

const mutation = (values: fc.Arbitrary<Json>, keys: fc.Arbitrary<string>): fc.Arbitrary<Mutation> =>
  fc.oneof(
    fc.record({ op: fc.constant('delete' as const), at: fc.nat() }),
    fc.record({ op: fc.constant('wrong-type' as const), at: fc.nat(), value: fc.constantFrom(...WRONG_TYPES) }),
    fc.record({ op: fc.constant('out-of-range' as const), at: fc.nat(), value: values }),
    fc.record({ op: fc.constant('swap' as const), at: fc.nat(), with: fc.nat() }),
    fc.record({ op: fc.constant('duplicate' as const), at: fc.nat() }),
    fc.record({ op: fc.constant('add-key' as const), at: fc.nat(), key: keys, value: fc.constantFrom(...WRONG_TYPES) }),
  );

function parentOf(root: Json, path: readonly Step[]): { parent: Json[] | { [key: string]: Json }; key: Step } | null {
  if (path.length === 0) return null;
  const parent = getAt(root, path.slice(0, -1));
  if (Array.isArray(parent) || isObj(parent)) return { parent, key: path.at(-1)! };
  return null;
}

function setAt(root: Json, path: readonly Step[], value: Json): void {
  const found = parentOf(root, path);
  if (!found) return;
  if (Array.isArray(found.parent)) found.parent[found.key as number] = value;
  else found.parent[found.key as string] = value;
}

/** Applies mutations in order; each picks its node by index into the tree's current paths. */
export function applyMutations(base: Json, mutations: readonly Mutation[]): Json {
  let root = cloneJson(base);
  for (const m of mutations) {
    const paths = pathsOf(root);
    if (paths.length === 0) {
      if (m.op === 'wrong-type' || m.op === 'out-of-range') root = m.value;
      continue;
    }
    const path = paths[m.at % paths.length]!;
    const target = getAt(root, path)!;
    switch (m.op) {
      case 'delete': {
        const found = parentOf(root, path);
        if (found && Array.isArray(found.parent)) found.parent.splice(found.key as number, 1);
        else if (found) delete (found.parent as { [key: string]: Json })[found.key as string];
        break;
      }
      case 'wrong-type':
      case 'out-of-range':
        setAt(root, path, cloneJson(m.value));
        break;
      case 'swap': {
        const other = paths[m.with % paths.length]!;
        // A node cannot swap with its own ancestor or descendant (the tree would contain itself).
        const related = other.length <= path.length ? path.slice(0, other.length).every((s, i) => s === other[i]) : other.slice(0, path.length).every((s, i) => s === path[i]);
        if (related) break;
        const b = getAt(root, other)!;
        setAt(root, path, b);
        setAt(root, other, target);
        break;
      }
      case 'duplicate': {
        const found = parentOf(root, path);
        if (found && Array.isArray(found.parent)) found.parent.splice((found.key as number) + 1, 0, cloneJson(target));
        else if (found) (found.parent as { [key: string]: Json })[`${String(found.key)}2`] = cloneJson(target);
        break;
      }
      case 'add-key':
        if (isObj(target)) target[m.key] = cloneJson(m.value);
        else {
          const found = parentOf(root, path);
          if (found && isObj(found.parent)) found.parent[m.key] = cloneJson(m.value);
        }
        break;
    }
  }
  return root;
}

const nearValues: fc.Arbitrary<Json> = fc.oneof(
  extremeNumber,
  fc.constantFrom<Json>('', ' ', 'p99', 'nowhere:p1', 'A:eth0', '10.0.0.300/24', '02:00:00:00:00', 'firewall', 'vnet-live/scenario@1', 'vnet-live/scenario@3', 'ff:ff:ff:ff:ff:ff', 'veth', 'cable', 'br0', 'server', 'eth0'),
);
const fieldNames = fc.constantFrom('gatway', 'vlan', 'ports', 'id', 'kind', 'x', 'mtu', 'udpListen', 'size', 'mtuDiscovery', 'port', 'node', 'bridges', 'type', 'name', ...PROTO_KEYS);

/** A chapter scenario with one to three field-level mutations, as JSON text. */
export const nearValidText: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom(...mutationBases), fc.oneof({ weight: 3, arbitrary: fc.array(mutation(nearValues, fieldNames), { minLength: 1, maxLength: 1 }) }, { weight: 1, arbitrary: fc.array(mutation(nearValues, fieldNames), { minLength: 2, maxLength: 3 }) }))
  .map(([chapter, mutations]) => toJsonText(applyMutations(fromPlain(chapter.scenario), mutations)));

// ---------------------------------------------------------------------------------------------
// (c) Hostile input.

/** Renames one device everywhere it is named (cables, traffic), so that only the name is hostile. */
function renameDevice(root: Json, index: number, name: string): void {
  if (!isObj(root)) return;
  const devices = root['devices'];
  if (!Array.isArray(devices) || devices.length === 0) return;
  const device = devices[index % devices.length];
  if (!isObj(device) || typeof device['id'] !== 'string') return;
  const old = device['id'];
  device['id'] = name;
  const links = root['links'];
  for (const link of Array.isArray(links) ? links : []) {
    if (!isObj(link)) continue;
    for (const side of ['a', 'b']) {
      const end = link[side];
      if (typeof end === 'string' && end.startsWith(`${old}:`)) link[side] = `${name}${end.slice(old.length)}`;
    }
  }
  const traffic = root['traffic'];
  for (const action of Array.isArray(traffic) ? traffic : []) {
    if (!isObj(action)) continue;
    if (action['from'] === old) action['from'] = name;
    if (action['to'] === old) action['to'] = name;
  }
}

/** Renames one port of one device everywhere (its NIC or port entry, and its cable). */
function renamePort(root: Json, index: number, portIndex: number, name: string): void {
  if (!isObj(root)) return;
  const devices = root['devices'];
  if (!Array.isArray(devices) || devices.length === 0) return;
  const device = devices[index % devices.length];
  if (!isObj(device) || typeof device['id'] !== 'string') return;
  const list = Array.isArray(device['nics']) ? device['nics'] : Array.isArray(device['ports']) ? device['ports'] : null;
  if (!list || list.length === 0) return;
  const k = portIndex % list.length;
  const entry = list[k];
  let old: string;
  if (typeof entry === 'string') {
    old = entry;
    list[k] = name;
  } else if (isObj(entry) && typeof entry['port'] === 'string') {
    old = entry['port'];
    entry['port'] = name;
  } else return;
  const links = root['links'];
  for (const link of Array.isArray(links) ? links : []) {
    if (!isObj(link)) continue;
    for (const side of ['a', 'b']) if (link[side] === `${device['id']}:${old}`) link[side] = `${device['id']}:${name}`;
  }
}

type HostileEdit =
  | { op: 'rename-device'; at: number; name: string }
  | { op: 'rename-port'; at: number; port: number; name: string }
  | { op: 'set'; at: number; value: Json }
  | { op: 'set-field'; field: string; at: number; value: Json }
  | { op: 'add-key'; at: number; key: string; value: Json }
  | { op: 'many'; field: 'devices' | 'links' | 'traffic'; count: number; junk: boolean };

const deepNest = fc.tuple(fc.integer({ min: 10, max: 10_000 }), fc.boolean()).map(([depth, arrays]): Json => new Nested(depth, arrays));
const hostileValue: fc.Arbitrary<Json> = fc.oneof(
  protoKey,
  strange,
  extremeNumber,
  longWord(5_000),
  deepNest,
  fc.constantFrom<Json>(obj([['__proto__', obj([['polluted', true]])]]), new Entries([['x', 1], ['x', 2]]), new Entries([['__proto__', 1], ['constructor', obj()]])),
);
const hostileEdit: fc.Arbitrary<HostileEdit> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ op: fc.constant('rename-device' as const), at: fc.nat(), name: fc.oneof(protoKey, strange, longWord(5_000), fc.constantFrom('A', 'a:b', 'x'.repeat(33))) }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('rename-port' as const), at: fc.nat(), port: fc.nat(), name: fc.oneof(protoKey, strange, fc.constantFrom('eth0', 'p1', 'a:b', '0')) }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('set' as const), at: fc.nat(), value: hostileValue }) },
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constant('set-field' as const),
      field: fc.constantFrom('id', 'format', 'kind', 'label', 'mac', 'title', 'description', 'payload', 'to', 'from', 'port', 'ip', 'x', 'y', 'at', 'vlan', 'ageingTime', 'node', 'name', 'type', 'ports'),
      at: fc.nat(),
      value: fc.oneof(protoKey, strange, extremeNumber, longWord(2_000), deepNest),
    }),
  },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('add-key' as const), at: fc.nat(), key: fc.oneof(protoKey, strange), value: hostileValue }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('many' as const), field: fc.constantFrom('devices' as const, 'links' as const, 'traffic' as const), count: fc.integer({ min: 50, max: 1_000 }), junk: fc.boolean() }) },
);

function applyHostile(base: Json, edits: readonly HostileEdit[]): Json {
  const root = cloneJson(base);
  for (const edit of edits) {
    switch (edit.op) {
      case 'rename-device':
        renameDevice(root, edit.at, edit.name);
        break;
      case 'rename-port':
        renamePort(root, edit.at, edit.port, edit.name);
        break;
      case 'set': {
        const paths = pathsOf(root);
        if (paths.length) setAt(root, paths[edit.at % paths.length]!, cloneJson(edit.value));
        break;
      }
      case 'set-field': {
        // Every place this field occurs (a label, a MAC, a coordinate…), one of them chosen.
        const paths = pathsOf(root).filter((path) => path.at(-1) === edit.field);
        if (paths.length) setAt(root, paths[edit.at % paths.length]!, cloneJson(edit.value));
        break;
      }
      case 'add-key': {
        const paths = [[], ...pathsOf(root)];
        const target = getAt(root, paths[edit.at % paths.length]!);
        if (isObj(target)) target[edit.key] = cloneJson(edit.value);
        break;
      }
      case 'many': {
        if (!isObj(root) || !Array.isArray(root[edit.field])) break;
        const list = root[edit.field] as Json[];
        if (edit.junk || list.length === 0) {
          for (let i = 0; i < edit.count; i++) list.push(edit.field === 'links' ? obj([['a', `nowhere${i}:p1`], ['b', 'x:y']]) : obj([['id', `n${i}`]]));
        } else if (edit.field === 'devices') {
          for (let i = 0; i < edit.count; i++) list.push(obj([['id', `bulk${i}`], ['kind', 'hub'], ['ports', ['p1', 'p2']]]));
        } else {
          // Copies of a valid entry are accepted and then run: fewer of them, so that the default run stays fast.
          const first = list[0]!;
          for (let i = 0; i < Math.min(edit.count, 200); i++) list.push(cloneJson(first));
        }
        break;
      }
    }
  }
  return root;
}

/** Not a scenario object at all: a top-level array, string, number, or deep nesting. */
const notAnObject: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom<Json>([], null, true, 0, 'vnet-live/scenario@1', new RawNumber('1e999'), obj(), new Entries([['__proto__', obj([['format', SCENARIO_FORMAT]])]])),
  fc.constantFrom(...mutationBases).map((c) => [fromPlain(c.scenario)]),
  deepNest,
);

/** Hostile input as JSON text: a valid or chapter scenario with hostile edits, or no scenario object at all. */
export const hostileText: fc.Arbitrary<string> = fc
  .oneof(
    { weight: 8, arbitrary: fc.tuple(fc.oneof(validScenario, fc.constantFrom(...mutationBases).map((c) => c.scenario)), fc.array(hostileEdit, { minLength: 1, maxLength: 3 })).map(([s, edits]) => applyHostile(fromPlain(s), edits)) },
    { weight: 1, arbitrary: notAnObject },
  )
  .map(toJsonText);

/** A valid scenario as the v1 site wrote it (its format string is the only difference): it must open as v2. */
export const v1ScenarioText: fc.Arbitrary<string> = validScenario.map((s) => JSON.stringify({ ...s, format: SCENARIO_FORMAT_V1 }));

/** Every kind of scenario text, for the properties that hold for any input. */
export const anyScenarioText: fc.Arbitrary<string> = fc.oneof(validScenario.map((s) => JSON.stringify(s)), v1ScenarioText, nearValidText, hostileText);

// ---------------------------------------------------------------------------------------------
// (d) Share links and saved edits.

/** How a share link is damaged on its way: cut off, characters changed, inserted or removed. */
export type Tamper = { op: 'truncate'; at: number } | { op: 'replace'; at: number; char: string } | { op: 'insert'; at: number; char: string } | { op: 'delete'; at: number };
const linkChar = fc.oneof(fc.constantFrom(...'ABCXYZabcxyz0189-_'.split('')), fc.constantFrom('=', '+', '/', '%', ' ', '~', '\u00E9', '\uD800', '<', '#'));
const tamper: fc.Arbitrary<Tamper> = fc.oneof(
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('replace' as const), at: fc.nat(), char: linkChar }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), char: linkChar }),
  fc.record({ op: fc.constant('delete' as const), at: fc.nat() }),
);

export function applyTamper(payload: string, edits: readonly Tamper[]): string {
  let out = payload;
  for (const t of edits) {
    const at = out.length ? t.at % (out.length + 1) : 0;
    if (t.op === 'truncate') out = out.slice(0, at);
    else if (t.op === 'replace') out = out.slice(0, at) + t.char + out.slice(at + 1);
    else if (t.op === 'insert') out = out.slice(0, at) + t.char + out.slice(at);
    else out = out.slice(0, at) + out.slice(at + 1);
  }
  return out;
}

/** What a share link may carry: a valid link damaged, a well-formed link around hostile JSON, or random text. */
export type ShareInput =
  | { kind: 'tampered'; scenario: Scenario; tamper: Tamper[] }
  | { kind: 'json'; text: string }
  | { kind: 'random'; payload: string }
  /** Random bytes in base64url after the version digit, deflated first or not (bad checksum, bad UTF-8). */
  | { kind: 'bytes'; bytes: number[]; deflate: boolean };

export const shareInput: fc.Arbitrary<ShareInput> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('tampered' as const), scenario: validScenario, tamper: fc.array(tamper, { minLength: 1, maxLength: 3 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('json' as const), text: fc.oneof(nearValidText, hostileText, v1ScenarioText, fc.constantFrom('', 'null', '{', '"\\ud800"', '[1,2', '1e999')) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('bytes' as const), bytes: fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 300 }), deflate: fc.boolean() }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('random' as const),
      payload: fc.oneof(
        fc.string({ maxLength: 200 }),
        fc.string({ maxLength: 300, unit: fc.constantFrom(...'ABCDEFabcdef0123456789-_'.split('')) }).map((s) => `1${s}`),
        fc.constantFrom('1', '1eJw', '0abc', '<svg onload=alert(1)>', '%3Cx', '2eNqrVg', '\u00E9t\u00E9'),
      ),
    }),
  },
);

/** Keys a localStorage may hold next to (or instead of) this experiment's saved edits. */
export interface StorageInput {
  id: string;
  entries: Array<[string, string]>;
  /** The browser lists the entries but refuses to read them: getItem and setItem throw. */
  throws: boolean;
}

const storageFormat = fc.constantFrom(SCENARIO_FORMAT, SCENARIO_FORMAT_V1, 'vnet-live/scenario@0', 'vnet-live/scenario@3', 'vnet-live/scenario@10', '', '__proto__', 'x|y');
const storageValue = (id: string): fc.Arbitrary<string> =>
  fc.oneof(
    {
      weight: 3,
      arbitrary: fc
        .record({ format: storageFormat, savedAt: fc.constantFrom('2026-01-01T00:00:00.000Z', 'yesterday', ''), scenario: validScenario.map((s) => ({ ...s, id })) })
        // What the v1 site saved holds a v1 scenario.
        .map((e) => JSON.stringify(e.format === SCENARIO_FORMAT_V1 ? { ...e, scenario: { ...e.scenario, format: SCENARIO_FORMAT_V1 } } : e)),
    },
    { weight: 2, arbitrary: fc.tuple(storageFormat, fc.oneof(nearValidText, hostileText)).map(([format, scenarioText]) => `{"format":${JSON.stringify(format)},"savedAt":"2026-01-01T00:00:00.000Z","scenario":${scenarioText}}`) },
    { weight: 1, arbitrary: fc.oneof(fc.string({ maxLength: 100 }), fc.constantFrom('null', '[]', '{}', '"x"', '1e999', '{"__proto__":{"format":"vnet-live/scenario@1"}}', '{"format":"vnet-live/scenario@1"}', '{')) },
  );

export const storageInput: fc.Arbitrary<StorageInput> = fc.constantFrom(...chapterScenarios.map((c) => c.id), 'fuzz/valid', 'toString', '__proto__').chain((id) =>
  fc.record({
    id: fc.constant(id),
    entries: fc.array(
      fc.tuple(
        fc.oneof(
          { weight: 4, arbitrary: storageFormat.map((format) => `vnet-live:edits:${format}|${id}`) },
          { weight: 1, arbitrary: fc.constantFrom(...chapterScenarios.map((c) => `vnet-live:edits:${SCENARIO_FORMAT}|${c.id}`), 'vnet-live:theme', '__proto__', 'toString', `vnet-live:edits:|${id}x`) },
          { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
        ),
        storageValue(id),
      ),
      { maxLength: 4 },
    ),
    throws: fc.oneof({ weight: 9, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
  }),
);

/** A file the editor's Import (and the CLI) reads: any scenario text, sometimes after a byte-order mark, for some experiment. */
export interface ImportInput {
  text: string;
  bom: boolean;
  id: string;
}

export const importInput: fc.Arbitrary<ImportInput> = fc.record({
  text: fc.oneof({ weight: 6, arbitrary: anyScenarioText }, { weight: 1, arbitrary: fc.oneof(fc.string({ maxLength: 200 }), fc.constantFrom('', '\uFEFF', '\uFEFF\uFEFF{}', '{"format":', 'null', '[]')) }),
  bom: fc.boolean(),
  id: fc.constantFrom(...chapterScenarios.map((c) => c.id), 'fuzz/valid'),
});
