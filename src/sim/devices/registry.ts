// The device registry: one entry per device kind, saying how the engine builds a device, hands it
// a frame or a timer, starts traffic from it, finds its addresses, and narrates its reasons. The
// engine dispatches through this table only: a new device type is a file in src/sim/devices/ and
// one entry here (README, "Adding a device").

import type { Narrators } from '../narrate';
import type { BridgeSpec, DeviceKind, DeviceSpec, HostSpec, HubSpec, RouterSpec, Scenario, SwitchSpec, TrafficAction } from '../scenario/format';
import type { ReasonCode } from '../trace';
import type { DeviceContext } from './context';
import { createHost, hostArping, hostNarrators, hostOverhears, hostPing, hostReceive, hostSendRaw, hostSendUdp, hostTimer, ownInterface, type HostState, type HostTimer } from './host';
import { createHub, hubNarrators, hubReceive, type HubState } from './hub';
import { bridgeLocalStack, bridgeNarrators, bridgeReceive, bridgeTimer, createBridge, type BridgeState } from './learning-bridge';

/**
 * An IP stack an action is sent from, with the context to run it in: a host's own, or the stack of
 * a bridge's local interface (whose frames go out through br_dev_xmit).
 */
export interface SendingStack {
  ctx: DeviceContext<HostTimer>;
  host: HostState;
}

/**
 * What the engine needs of one device type. `State` is the device's plain-data state (snapshots
 * copy it), `Timer` what it schedules (opaque to the engine, handed back to `timer`).
 */
export interface DeviceType<Spec extends DeviceSpec, State extends { kind: string; id: string }, Timer> {
  /** Builds the device's state from its scenario spec; `random` is the run's seeded generator. */
  /** `scenario`: the whole scenario, for what joins devices beyond links (a macvlan child and its parent). */
  create(spec: Spec, random: () => number, scenario?: Pick<Scenario, 'devices'>): State;
  /** A frame arrives on `port` (the engine has emitted its receive event). */
  receive(ctx: DeviceContext<Timer>, device: State, port: string, bytes: Uint8Array): void;
  /**
   * Optional, for speed: decides a frame that changes nothing in the device (it only emits), reading
   * a state that may be shared with a snapshot (never write to it); false when `receive` must run.
   * The engine tries it first, so that the thousands of devices a flood reaches are not copied for
   * step back only to ignore the frame.
   */
  receiveUnchanged?(ctx: DeviceContext<Timer>, device: Readonly<State>, port: string, bytes: Uint8Array): boolean;
  /** A timer the device set is due. A device type that sets none leaves this out. */
  timer?(ctx: DeviceContext<Timer>, device: State, timer: Timer): void;
  /**
   * The IP stack an action from this device starts on, or null when this device (as configured)
   * sends no traffic; a device type that never sends leaves this out.
   */
  sender?(ctx: DeviceContext<Timer>, device: State): SendingStack | null;
  /** The IPv4 address a traffic target naming this device resolves to (undefined: it has none). Left out: the type has no IP stack. */
  ipAddress?(device: State): string | undefined;
  /** The MAC address a raw frame to this device goes to. Left out: the type has no MAC of its own. */
  macAddress?(device: State): string | undefined;
  /** Sentences for this type's reason codes, for events it emits with args instead of text. */
  narrators?: Narrators;
  /**
   * Optional, for speed: called once when the state is built (with a context that records nothing),
   * to work out now what the device would work out on its first frame: the ports its floods go out
   * of (ctx.linkedPorts).
   */
  prepare?(ctx: Pick<DeviceContext<Timer>, 'linkedPorts'>, device: State): void;
}

/** The state of every device type the registry holds. */
export type DeviceState = HostState | HubState | BridgeState;

/** The first address of a host or router (of its first interface that has one). */
function firstIp(host: HostState): string | undefined {
  return host.nics.find((nic) => nic.ip !== undefined)?.ip;
}

/**
 * A network namespace: one IPv4 stack. A host and a router are the same stack (a router has
 * forwarding on, which createHost reads from the kind); each, as any Linux box, pings and sends.
 */
function namespaceType<Spec extends HostSpec | RouterSpec>(): DeviceType<Spec, HostState, HostTimer> {
  return {
    create: createHost,
    receive: hostReceive,
    receiveUnchanged: hostOverhears,
    timer: hostTimer,
    sender: (ctx, device) => ({ ctx, host: device }),
    ipAddress: firstIp,
    macAddress: (device) => ownInterface(device).mac,
    narrators: hostNarrators,
    // The bridge net devices of the namespace flood over their ports.
    prepare: (ctx, device) => {
      for (const bridge of device.bridges ?? []) ctx.linkedPorts(bridge.ports);
    },
  };
}

const host = namespaceType<HostSpec>();
const router = namespaceType<RouterSpec>();

const hub: DeviceType<HubSpec, HubState, never> = {
  create: createHub,
  receive: hubReceive,
  narrators: hubNarrators,
  prepare: (ctx, device) => void ctx.linkedPorts(device.ports),
};

const bridge: DeviceType<BridgeSpec, BridgeState, HostTimer> = {
  create: createBridge,
  receive: bridgeReceive,
  // A bridge's timers are its local interface's stack's (ARP retries, ping waits).
  timer: bridgeTimer,
  // A bridge with a local interface (br0 with an address) sends from that interface's stack, and
  // is a traffic target by that interface's address.
  sender: bridgeLocalStack,
  ipAddress: (device) => device.local?.nics[0]!.ip,
  // The same sentences serve a bridge net device inside a namespace (narrators are by reason).
  narrators: bridgeNarrators,
  prepare: (ctx, device) => void ctx.linkedPorts(device.ports),
};

/** A VLAN-aware switch: the same bridge code, filtering by VLAN; it has no local interface. */
const vlanSwitch: DeviceType<SwitchSpec, BridgeState, HostTimer> = {
  create: createBridge,
  receive: bridgeReceive,
  timer: bridgeTimer,
  narrators: bridgeNarrators,
  prepare: (ctx, device) => void ctx.linkedPorts(device.ports),
};

/** The registry: the entry of every kind a scenario may name. */
const registry = { host, router, hub, bridge, switch: vlanSwitch } satisfies Record<DeviceKind, object>;

/**
 * The entry for a kind, as the engine sees it: spec, state and timer erased. Sound because the
 * engine hands an entry only the spec of its kind, the state that entry created, and the timers
 * that device set (each device's timers come back to it alone).
 */
export type AnyDeviceType = DeviceType<DeviceSpec, DeviceState, unknown>;

export function deviceType(kind: DeviceKind): AnyDeviceType {
  return registry[kind] as unknown as AnyDeviceType;
}

/** Every narrator the device types bring, by reason code (built once). */
const narratorsByReason = new Map<ReasonCode, NonNullable<Narrators[ReasonCode]>>();
for (const [kind, entry] of Object.entries(registry) as Array<[DeviceKind, AnyDeviceType]>) {
  for (const [reason, narrator] of Object.entries(entry.narrators ?? {})) {
    if (!narrator) continue;
    const known = narratorsByReason.get(reason as ReasonCode);
    // A reason has one sentence whoever emits it: two device types may share a narrator, never differ.
    if (known !== undefined && known !== narrator) throw new Error(`registry: the ${kind} entry brings a second narrator for reason "${reason}"`);
    narratorsByReason.set(reason as ReasonCode, narrator);
  }
}

/** The narrator a device type brings for a reason, if any. */
export function deviceNarrator(reason: ReasonCode): Narrators[ReasonCode] | undefined {
  return narratorsByReason.get(reason);
}

/** Starts an action on a sending stack: the action's kind says which of the stack's senders. */
export function sendFrom(stack: SendingStack, actionId: number, action: TrafficAction, target: string): void {
  const { ctx, host: sender } = stack;
  // The action's own optional fields (size, mtuDiscovery; port, sourcePort) are the options.
  if (action.do === 'raw') hostSendRaw(ctx, sender, actionId, target, action.payload ?? 'hello');
  else if (action.do === 'ping') hostPing(ctx, sender, actionId, target, action);
  else if (action.do === 'udp') hostSendUdp(ctx, sender, actionId, target, action);
  else hostArping(ctx, sender, actionId, target);
}
