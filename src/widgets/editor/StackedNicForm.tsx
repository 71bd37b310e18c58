// The form for a NIC stacked on another NIC of its machine, as a macvlan or ipvlan child
// (`"macvlan": { "parent": "host:eth0", "mode": "bridge" }`): its driver, parent and mode.
// DeviceForm loads it with import() when the reader first opens it (edit mode's JavaScript has a
// budget). Every choice commits one edit; the validator says what is wrong, next to the field.

import { setField, type FieldPath } from '../../editor/ops';
import type { HostNicSpec, Scenario } from '../../sim/scenario/format';
import { bind, messages, trimmed, type FormContext } from './DeviceForm';
import { Field, FieldMessages, SelectField } from './Field';

type Driver = 'none' | 'macvlan' | 'ipvlan';

/** macvlan's modes (kernel default vepa; Docker's bridge) and ipvlan's (kernel default l3; Docker's l2). */
export const STACK_MODES: Record<Exclude<Driver, 'none'>, readonly { value: string; text: string }[]> = {
  macvlan: [
    { value: 'bridge', text: "bridge (siblings talk inside the host; Docker's default)" },
    { value: 'vepa', text: "vepa (everything via the switch; the kernel's default)" },
    { value: 'private', text: 'private (siblings never talk)' },
    { value: 'passthru', text: 'passthru (one child takes over the card)' },
  ],
  ipvlan: [
    { value: 'l2', text: "l2 (children ARP on the LAN; Docker's default)" },
    { value: 'l3', text: "l3 (the host routes for them; the kernel's default)" },
    { value: 'l3s', text: 'l3s (l3 through the host’s netfilter)' },
  ],
};

const DEFAULT_MODE = { macvlan: 'bridge', ipvlan: 'l2' } as const;

/** The NIC's stacking, whichever driver it uses. */
function stackOf(nic: HostNicSpec): { driver: Driver; parent: string; mode: string } {
  if (nic.macvlan) return { driver: 'macvlan', parent: nic.macvlan.parent, mode: nic.macvlan.mode ?? 'vepa' };
  if (nic.ipvlan) return { driver: 'ipvlan', parent: nic.ipvlan.parent, mode: nic.ipvlan.mode ?? 'l3' };
  return { driver: 'none', parent: '', mode: '' };
}

/** The MAC of the NIC `parent` ("device:port") names, if there is one: an ipvlan child must have it. */
function parentMac(s: Scenario, parent: string): string | undefined {
  const [device, port] = parent.split(':');
  const owner = s.devices.find((d) => d.id === device);
  if (!owner || (owner.kind !== 'host' && owner.kind !== 'router')) return undefined;
  const nic = owner.nics.find((n) => n.port === port || (port?.startsWith(`${n.port}.`) ?? false));
  return nic?.mac;
}

/** A parent to offer first: the first NIC of another namespace of the same node that is stacked on nothing. */
function likelyParent(s: Scenario, index: number): string {
  const self = s.devices[index]!;
  const node = self.kind === 'host' || self.kind === 'router' ? self.node : undefined;
  for (const d of s.devices) {
    if (d === self || (d.kind !== 'host' && d.kind !== 'router') || d.node === undefined || d.node !== node) continue;
    const nic = d.nics.find((n) => !n.macvlan && !n.ipvlan);
    if (nic) return `${d.id}:${nic.port}`;
  }
  return '';
}

export interface StackedNicFormProps {
  ctx: FormContext;
  /** The device's index in the scenario, and the NIC's in its list. */
  index: number;
  nic: number;
}

export default function StackedNicForm({ ctx, index, nic: j }: StackedNicFormProps) {
  const { store, fid } = ctx;
  const device = ctx.draft.devices[index]!;
  if (device.kind !== 'host' && device.kind !== 'router') return null;
  const nic = device.nics[j];
  if (!nic) return null;
  const at = (...rest: (string | number)[]): FieldPath => ['devices', index, 'nics', j, ...rest];
  const stack = stackOf(nic);
  const name = nic.port;

  const setDriver = (driver: Driver) => {
    const draft = store.draft.peek();
    const current = (draft.devices[index] as { nics: HostNicSpec[] }).nics[j]!;
    const { macvlan: _m, ipvlan: _i, ...plain } = current;
    if (driver === 'none') {
      store.apply(setField(draft, at(), plain), `${name} of ${device.id} is a NIC of its own again.`);
      return;
    }
    const parent = stack.parent || likelyParent(draft, index);
    const next: HostNicSpec = { ...plain, [driver]: { parent, mode: DEFAULT_MODE[driver] } };
    // An ipvlan child has its parent's MAC address: take it, so that the first version is valid.
    const mac = driver === 'ipvlan' ? parentMac(draft, parent) : undefined;
    if (mac) next.mac = mac;
    store.apply(setField(draft, at(), next), `${name} of ${device.id} is now ${driver === 'ipvlan' ? 'an' : 'a'} ${driver} child of ${parent || '(no parent yet)'}, mode ${DEFAULT_MODE[driver]}${mac ? `, with its parent's MAC ${mac}` : ''}.`);
  };

  return (
    <fieldset class="ve-list" id={fid(at('stack'))}>
      <legend>{name} stacked on another card (macvlan, ipvlan)</legend>
      <FieldMessages id={fid(at('stack', 'msg'))} {...messages(ctx, at(stack.driver === 'none' ? 'macvlan' : stack.driver), false)} />
      <div class="ve-row">
        <SelectField
          id={fid(at('driver'))}
          label={`${name} driver`}
          value={stack.driver}
          options={[
            { value: 'none', text: 'none (a NIC on a cable or veth)' },
            { value: 'macvlan', text: 'macvlan (a MAC address of its own)' },
            { value: 'ipvlan', text: "ipvlan (the parent's MAC address)" },
          ]}
          onChange={(d) => setDriver(d as Driver)}
        />
        {stack.driver !== 'none' && (
          <>
            <Field label={`${name} parent`} hint="device:port, like host:eth0" size={14} {...bind(ctx, at(stack.driver, 'parent'), stack.parent, trimmed, `Parent of ${device.id} ${name} changed.`, true)} />
            <SelectField
              id={fid(at(stack.driver, 'mode'))}
              label={`${name} ${stack.driver} mode`}
              value={stack.mode}
              options={STACK_MODES[stack.driver]}
              {...messages(ctx, at(stack.driver, 'mode'))}
              onChange={(m) => store.apply(setField(store.draft.peek(), at(stack.driver, 'mode'), m), `${name} of ${device.id} is now in ${stack.driver} mode ${m}.`)}
            />
          </>
        )}
      </div>
    </fieldset>
  );
}
