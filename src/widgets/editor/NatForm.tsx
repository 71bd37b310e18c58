// The form for a namespace's NAT rules: masquerade on an outgoing interface (nft `oifname "eth0"
// ip saddr 10.0.1.0/24 masquerade`) and port forwards (Docker's `-p 8080:80/udp`, a DNAT in
// prerouting). DeviceForm loads it with import() when the reader first opens it (edit mode's
// JavaScript has a budget). The validator says what is wrong, next to each field.

import { numberOrText, setField, type FieldPath } from '../../editor/ops';
import type { PortForwardSpec, MasqueradeSpec, NatSpec } from '../../sim/scenario/format';
import { ListRows, trimmed, type FormContext } from './DeviceForm';

export interface NatFormProps {
  ctx: FormContext;
  /** The device's index in the scenario. */
  index: number;
}

export default function NatForm({ ctx, index }: NatFormProps) {
  const { store } = ctx;
  const device = ctx.draft.devices[index]!;
  if (device.kind !== 'host' && device.kind !== 'router') return null;
  const nat: NatSpec | undefined = device.nat;
  const at = (...rest: string[]): FieldPath => ['devices', index, 'nat', ...rest];
  const uplink = device.nics.find((n) => n.ip && !n.macvlan && !n.ipvlan)?.port ?? device.nics[0]?.port ?? 'eth0';
  const inside = device.bridges?.find((b) => b.ip)?.ip?.replace(/\.\d+\/(\d+)$/, '.0/$1') ?? '10.0.1.0/24';
  const newMasquerade = (): MasqueradeSpec => ({ out: uplink, source: inside });
  const newForward = (): PortForwardSpec => ({ in: uplink, proto: 'udp', port: 8080, to: '', toPort: 80 });

  if (!nat) {
    return (
      <fieldset class="ve-list">
        <legend>NAT of {device.id}</legend>
        <p class="ve-hint">No NAT: {device.id} forwards packets with their addresses unchanged.</p>
        <button type="button" class="vp-btn vp-btn--small" onClick={() => store.apply(setField(store.draft.peek(), at(), { masquerade: [newMasquerade()] }), `${device.id} masquerades ${inside} out of ${uplink}.`)}>
          Masquerade out of {uplink}
        </button>{' '}
        <button type="button" class="vp-btn vp-btn--small" onClick={() => store.apply(setField(store.draft.peek(), at(), { forward: [newForward()] }), `${device.id} forwards a port.`)}>
          Forward a port
        </button>
      </fieldset>
    );
  }
  return (
    <fieldset class="ve-list">
      <legend>NAT of {device.id}</legend>
      <ListRows<MasqueradeSpec>
        ctx={ctx}
        legend="Masquerade (source NAT on the way out)"
        path={at('masquerade')}
        items={nat.masquerade ?? []}
        fields={[
          { key: 'out', label: (_r, k) => `Masquerade ${k + 1} out of interface`, hint: 'like eth0', size: 8, parse: trimmed },
          { key: 'source', label: (_r, k) => `Masquerade ${k + 1} sources`, hint: 'a prefix, like 10.0.1.0/24', size: 16, parse: trimmed },
        ]}
        newItem={newMasquerade}
        addText="Add a masquerade rule"
        itemName={(r, k) => `masquerade ${k + 1} (${r.out})`}
      />
      <ListRows<PortForwardSpec>
        ctx={ctx}
        legend="Port forwards (destination NAT on the way in)"
        path={at('forward')}
        items={nat.forward ?? []}
        fields={[
          { key: 'in', label: (_r, k) => `Forward ${k + 1} in on interface`, hint: 'like eth0', size: 8, parse: trimmed },
          { key: 'proto', label: (_r, k) => `Forward ${k + 1} protocol`, hint: 'udp', size: 4, parse: trimmed },
          { key: 'port', label: (_r, k) => `Forward ${k + 1} port`, hint: '1–65535', size: 6, parse: numberOrText },
          { key: 'to', label: (_r, k) => `Forward ${k + 1} to address`, hint: 'like 10.0.1.2', size: 14, parse: trimmed },
          { key: 'toPort', label: (_r, k) => `Forward ${k + 1} to port`, hint: 'default: the same port', size: 6, parse: numberOrText },
        ]}
        newItem={newForward}
        addText="Add a port forward"
        itemName={(r, k) => `forward ${k + 1} (${r.proto} ${r.port})`}
      />
      <button type="button" class="vp-btn vp-btn--small ve-danger" onClick={() => store.apply(setField(store.draft.peek(), at(), undefined), `${device.id} has no NAT now.`)}>
        Remove all NAT of {device.id}
      </button>
    </fieldset>
  );
}
