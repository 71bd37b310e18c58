// The VXLAN interfaces of a host or router namespace in the editor (`ip link add vxlan0 type vxlan
// id 42 local … dev … dstport …`, `bridge fdb append … dev vxlan0 dst …`): name, MAC, VNI, local
// address, underlay device, UDP port, learning, ageing, MTU, which bridge takes it as a port, and
// its static FDB entries. Loaded with import() the first time a reader opens it (DeviceForm's
// VxlanSlot), so that edit mode's own JavaScript stays within its budget. What is wrong (a VNI past
// 16,777,215, a `local` the namespace does not have) is said by the validator next to the field.

import { addListItem, freeMac, numberOrText, removeListItem, setBridgePort, setField, type FieldPath } from '../../editor/ops';
import type { DeviceSpec, Scenario, VxlanFdbEntrySpec, VxlanSpec } from '../../sim/scenario/format';
import { bind, ListRows, messages, trimmed, type FormContext } from './DeviceForm';
import { Field, FieldMessages } from './Field';

const text = (v: unknown) => (v === undefined || v === null ? '' : String(v));
const optional = (t: string) => (t.trim() === '' ? undefined : t.trim());

/** A new VXLAN device for the namespace at `index`: the first free vxlanN name, a free MAC, VNI 42, over the first NIC with an address. */
export function newVxlan(s: Scenario, index: number): VxlanSpec {
  const device = s.devices[index] as Extract<DeviceSpec, { kind: 'host' | 'router' }>;
  const names = new Set<string>([...device.nics.map((n) => n.port), ...(device.bridges ?? []).map((b) => b.name), ...(device.vxlans ?? []).map((x) => x.name)]);
  let n = 0;
  while (names.has(`vxlan${n}`)) n++;
  const underlay = device.nics.find((nic) => nic.ip !== undefined);
  const vxlan: VxlanSpec = { name: `vxlan${n}`, mac: freeMac(s), vni: 42 };
  if (underlay) vxlan.dev = underlay.port;
  return vxlan;
}

export default function VxlanForm({ ctx, index }: { ctx: FormContext; index: number }) {
  const { store, fid } = ctx;
  const device = ctx.draft.devices[index] as Extract<DeviceSpec, { kind: 'host' | 'router' }>;
  const vxlans = device.vxlans ?? [];
  const path: FieldPath = ['devices', index, 'vxlans'];
  return (
    <fieldset class="ve-list">
      <legend>VXLAN interfaces of {device.id}</legend>
      <FieldMessages id={fid([...path, 'msg'])} {...messages(ctx, path)} />
      {vxlans.map((x, k) => {
        const at = (...rest: (string | number)[]): FieldPath => [...path, k, ...rest];
        const name = text(x.name) || `VXLAN ${k + 1}`;
        const said = (what: string) => `${what} of ${device.id} ${name} changed.`;
        return (
          <div class="ve-item" key={k}>
            <div class="ve-row">
              <Field label={`VXLAN ${k + 1} interface name`} hint="like vxlan0" size={8} {...bind(ctx, at('name'), x.name, trimmed, said('Name'))} />
              <Field label={`${name} MAC address`} size={17} {...bind(ctx, at('mac'), x.mac, trimmed, said('MAC address'))} />
              <Field label={`${name} VNI`} hint="0–16,777,215 (24 bits)" inputMode="numeric" size={9} {...bind(ctx, at('vni'), x.vni, numberOrText, said('VNI'))} />
              <Field label={`${name} local address (optional)`} hint="one of this namespace's" size={14} {...bind(ctx, at('local'), x.local, optional, said('Local address'))} />
              <Field label={`${name} underlay device (optional)`} hint="like eth0" size={8} {...bind(ctx, at('dev'), x.dev, optional, said('Underlay device'))} />
              <Field label={`${name} UDP port (optional)`} hint="default 8472 (Linux); 4789 is IANA's" inputMode="numeric" size={6} {...bind(ctx, at('dstport'), x.dstport, numberOrText, said('UDP port'))} />
              <Field label={`${name} ageing (s, optional)`} hint="default 300" inputMode="numeric" size={6} {...bind(ctx, at('ageing'), x.ageing, numberOrText, said('Ageing'))} />
              <Field label={`${name} MTU (optional)`} hint="default: the underlay's − 50" inputMode="numeric" size={6} {...bind(ctx, at('mtu'), x.mtu, numberOrText, said('MTU'))} />
            </div>
            <div class="ve-row">
              <span class="ve-check">
                <input
                  id={fid(at('learning'))}
                  type="checkbox"
                  checked={x.learning !== false}
                  onChange={(e) => {
                    const on = (e.currentTarget as HTMLInputElement).checked;
                    store.apply(setField(store.draft.peek(), at('learning'), on ? undefined : false), `${device.id} ${name} ${on ? 'learns remote MACs (vxlan_snoop)' : 'learns nothing (nolearning)'}.`);
                  }}
                />
                <label for={fid(at('learning'))}>{name} learns where remote MACs live (off: nolearning)</label>
              </span>
              {(device.bridges ?? []).map((b, j) => {
                const id = `${fid(at('bridge'))}-${j}`;
                return (
                  <span class="ve-check" key={j}>
                    <input
                      id={id}
                      type="checkbox"
                      checked={Array.isArray(b.ports) && b.ports.includes(x.name)}
                      onChange={(e) => store.apply(setBridgePort(store.draft.peek(), device.id, j, x.name, (e.currentTarget as HTMLInputElement).checked), `Ports of ${device.id} ${b.name} changed.`)}
                    />
                    <label for={id}>
                      {name} is a port of {b.name}
                    </label>
                  </span>
                );
              })}
            </div>
            <ListRows<VxlanFdbEntrySpec>
              ctx={ctx}
              legend={`FDB entries of ${name} (bridge fdb append … dev ${name} dst …)`}
              path={at('fdb')}
              items={x.fdb ?? []}
              fields={[
                { key: 'mac', label: (_e, i) => `${name} FDB entry ${i + 1} MAC`, hint: '00:00:00:00:00:00 floods', size: 17, parse: trimmed },
                { key: 'dst', label: (_e, i) => `${name} FDB entry ${i + 1} remote VTEP`, hint: 'like 192.168.2.1', size: 14, parse: trimmed },
              ]}
              newItem={() => ({ mac: '00:00:00:00:00:00', dst: '192.168.2.1' })}
              addText={`Add an FDB entry to ${name}`}
              itemName={(e) => `${e.mac} → ${e.dst}`}
            />
            <button type="button" class="vp-btn vp-btn--small ve-danger" onClick={() => store.apply(removeListItem(store.draft.peek(), path, k), `Removed ${device.id} ${name}.`)}>
              Remove {name}
            </button>
          </div>
        );
      })}
      <button type="button" class="vp-btn vp-btn--small" onClick={() => store.apply(addListItem(store.draft.peek(), path, newVxlan(store.draft.peek(), index)), `Added a VXLAN interface to ${device.id}.`)}>
        Add a VXLAN interface to {device.id}
      </button>
    </fieldset>
  );
}
