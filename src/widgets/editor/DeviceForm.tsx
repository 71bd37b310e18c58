// The form of one device: its name, label, kind, NICs or ports, and the settings its kind has.
// Every field commits one edit operation; what is wrong is written next to the field by the
// validator, not decided here.

import { addListItem, newNetdevBridge, addPort, changeKind, setBridgeLocal, setBridgePort, freeMac, listOrText, numberOrText, pathKey, PORT_KINDS, removeDevice, removeListItem, removePort, renamePort, setField, setPortMode, type FieldPath } from '../../editor/ops';
import { issuesAt } from '../../editor/issues';
import type { EditorStore } from '../../editor/store';
import type { BridgeNetdevSpec, BridgeSpec, DeviceSpec, HostNicSpec, MacVlanSpec, RouteSpec, Scenario, SwitchPortSpec, VlanSubinterfaceSpec } from '../../sim/scenario/format';
import type { ComponentChildren, ComponentType } from 'preact';
import { useState } from 'preact/hooks';
import { ShowMore } from '../ShowMore';
import { Field, FieldMessages, SelectField } from './Field';

/** Ports a form lists at first (a bridge of a big topology has hundreds); "Show more" adds PORTS_PAGE at a time. */
const PORTS_SHOWN = 24;
const PORTS_PAGE = 100;

export interface FormContext {
  store: EditorStore;
  draft: Scenario;
  /** A DOM id for the field at `path`. */
  fid: (path: FieldPath) => string;
}

/** Errors and warnings for the field at `path`. */
export function messages(ctx: FormContext, path: FieldPath, within = false) {
  const { errors, warnings } = ctx.store.issues.value;
  const key = pathKey(path);
  return { errors: issuesAt(errors, key, within), warnings: issuesAt(warnings, key, within) };
}

/**
 * A text field's wiring to the field at `path`: its DOM id, its text, the validator's words for it
 * (with `within`, for anything inside it too) and an edit that stores what the reader typed, as
 * `parse` reads it, saying `said`.
 */
export function bind(ctx: FormContext, path: FieldPath, value: unknown, parse: (t: string) => unknown, said: string, within = false) {
  return { id: ctx.fid(path), value: text(value), ...messages(ctx, path, within), onCommit: (t: string) => ctx.store.apply(setField(ctx.store.draft.peek(), path, parse(t)), said) };
}

/** A field's text trimmed: what the reader meant. */
export const trimmed = (t: string) => t.trim();

const KIND_TEXT: Partial<Record<DeviceSpec['kind'], string>> = {
  hub: 'hub (repeats every frame)',
  bridge: 'bridge (learns MAC addresses)',
  switch: 'switch (bridge with VLANs)',
};

const text = (v: unknown) => (v === undefined || v === null ? '' : String(v));
const optional = (t: string) => (t.trim() === '' ? undefined : t.trim());

function removalSentence(what: string, links: string[], traffic: string[]): string {
  const parts = [what];
  if (links.length) parts.push(`${links.length === 1 ? 'its cable' : `its ${links.length} cables`} (${links.join('; ')})`);
  if (traffic.length) parts.push(`${traffic.length === 1 ? 'the traffic action' : `the ${traffic.length} traffic actions`} that named it (${traffic.join('; ')})`);
  return `Removed ${parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}` : parts[0]}.`;
}

export interface DeviceFormProps {
  ctx: FormContext;
  index: number;
  /** Called after the device is removed, to move focus somewhere that still exists. */
  onRemoved: () => void;
}

export function DeviceForm({ ctx, index, onRemoved }: DeviceFormProps) {
  const { store, draft, fid } = ctx;
  const device = draft.devices[index]!;
  const base: FieldPath = ['devices', index];
  const at = (...rest: (string | number)[]): FieldPath => [...base, ...rest];
  const name = device.label ?? device.id;
  // A rename to a name another device has is refused before it reaches the draft: the reader's
  // text stays in the field with one error under it, and nothing else changes.
  const [refused, setRefused] = useState<{ id: string; message: string } | null>(null);
  const refusal = refused && refused.id === device.id ? refused.message : null;
  const nameMessages = messages(ctx, at('id'));

  return (
    <fieldset class="ve-device" aria-describedby={undefined}>
      <legend>
        {device.kind} {name}
      </legend>
      <div class="ve-row">
        <Field
          id={fid(at('id'))}
          label="Name"
          value={text(device.id)}
          hint="letters, digits, - or _"
          size={10}
          errors={refusal ? [refusal, ...nameMessages.errors] : nameMessages.errors}
          warnings={nameMessages.warnings}
          onCommit={async (t) => {
            const to = t.trim();
            // Loaded with the first rename (editor/rename.ts): edit mode's JavaScript has a budget.
            const { renameDevice, renameRefusal } = await import('../../editor/rename');
            const before = store.draft.peek();
            const why = renameRefusal(before, index, to);
            setRefused(why ? { id: device.id, message: why } : null);
            // Back to its own name after a refusal: nothing to rename.
            if (to === device.id) return;
            if (why) {
              store.say(why, true);
              return;
            }
            const next = renameDevice(before, device.id, to, index);
            const followed = JSON.stringify(next.links) !== JSON.stringify(before.links) || JSON.stringify(next.traffic) !== JSON.stringify(before.traffic);
            store.apply(next, `Renamed ${device.id || 'the device'} to ${to || '(no name)'}${followed ? '; its cables and traffic follow' : ''}.`);
          }}
        />
        <Field label="Label (drawn, optional)" size={12} {...bind(ctx, at('label'), device.label, optional, `Label of ${device.id} changed.`)} />
        {(device.kind === 'host' || device.kind === 'router') && (
          <Field label="Node (machine, optional)" hint="veth pairs join namespaces of one node" size={10} {...bind(ctx, at('node'), device.node, optional, `Node of ${device.id} changed.`)} />
        )}
        {PORT_KINDS.includes(device.kind) && (
          <SelectField
            id={fid(at('kind'))}
            label="Device kind"
            value={device.kind}
            options={PORT_KINDS.map((k) => ({ value: k, text: KIND_TEXT[k] ?? k }))}
            onChange={(k) => store.apply(changeKind(store.draft.peek(), device.id, k as DeviceSpec['kind']), `${device.id} is now a ${k}; same ports and cables.`)}
          />
        )}
      </div>

      {(device.kind === 'host' || device.kind === 'router') && <NicList ctx={ctx} index={index} nics={device.nics} />}
      {(device.kind === 'host' || device.kind === 'router') && <NetdevBridges ctx={ctx} index={index} nics={device.nics} bridges={device.bridges ?? []} />}
      {(device.kind === 'host' || device.kind === 'router') && <VxlanSlot ctx={ctx} index={index} count={device.vxlans?.length ?? 0} />}
      {(device.kind === 'hub' || device.kind === 'bridge') && <PortList ctx={ctx} index={index} ports={device.ports} />}
      {device.kind === 'switch' && <SwitchPorts ctx={ctx} index={index} ports={device.ports} />}
      {device.kind === 'switch' && <MacVlans ctx={ctx} index={index} items={device.macVlans ?? []} />}
      {device.kind === 'router' && <Routes ctx={ctx} index={index} routes={device.routes ?? []} />}
      {(device.kind === 'host' || device.kind === 'router') && <LazyForm label={`NAT of ${device.id}${device.nat ? '' : ' (none)'}…`} load={() => import('./NatForm')} props={{ ctx, index }} />}
      {device.kind === 'bridge' && <BridgeLocal ctx={ctx} index={index} device={device} />}

      <div class="ve-row">
        {device.kind === 'host' && (
          <Field label="Default gateway (optional)" hint="e.g. 10.0.0.1" size={14} {...bind(ctx, at('gateway'), device.gateway, optional, `Gateway of ${device.id} changed.`)} />
        )}
        {(device.kind === 'host' || device.kind === 'router') && (
          <Field label="Listening UDP ports (optional)" hint="like 53, 5000" size={12} {...bind(ctx, at('udpListen'), device.udpListen?.join(', '), listOrText, `UDP ports of ${device.id} changed.`, true)} />
        )}
        {(device.kind === 'bridge' || device.kind === 'switch') && (
          <Field label="Ageing time (s)" hint="default 300; 0 learns nothing" inputMode="numeric" size={7} {...bind(ctx, at('ageingTime'), device.ageingTime, numberOrText, `Ageing time of ${device.id} changed.`)} />
        )}
        {(device.kind === 'bridge' || device.kind === 'switch') && (
          <Field label="MAC table limit (optional)" hint="fdb_max_learned; past it, no learning" inputMode="numeric" size={7} {...bind(ctx, at('fdbMaxLearned'), device.fdbMaxLearned, numberOrText, `MAC table limit of ${device.id} changed.`)} />
        )}
        <Field id={fid(at('position', 'x'))} label="Position x" value={text(device.position?.x)} inputMode="numeric" size={5} {...messages(ctx, at('position'), true)} onCommit={(t) => setPosition(ctx, index, 'x', t)} />
        <Field id={fid(at('position', 'y'))} label="Position y" value={text(device.position?.y)} inputMode="numeric" size={5} onCommit={(t) => setPosition(ctx, index, 'y', t)} />
      </div>
      <p class="ve-actions">
        <button
          type="button"
          class="vp-btn vp-btn--small ve-danger"
          onClick={() => {
            const removal = removeDevice(store.draft.peek(), device.id, index);
            store.apply(removal.scenario, removalSentence(`${device.kind} ${device.id}`, removal.links, removal.traffic));
            onRemoved();
          }}
        >
          Remove {device.kind} {device.id}
        </button>
      </p>
    </fieldset>
  );
}

function setPosition(ctx: FormContext, index: number, axis: 'x' | 'y', t: string) {
  const { store } = ctx;
  const draft = store.draft.peek();
  const device = draft.devices[index]!;
  const value = numberOrText(t);
  if (value === undefined) {
    store.apply(setField(draft, ['devices', index, 'position'], undefined), `${device.id} is placed automatically again.`);
    return;
  }
  const current = device.position ?? { x: 0, y: 0 };
  store.apply(setField(draft, ['devices', index, 'position'], { ...current, [axis]: value }), `Moved ${device.id}.`);
}

function NicList({ ctx, index, nics }: { ctx: FormContext; index: number; nics: HostNicSpec[] }) {
  const { store, fid } = ctx;
  const device = ctx.draft.devices[index]!;
  const list = messages(ctx, ['devices', index, 'nics']);
  return (
    <fieldset class="ve-list">
      <legend>Network interfaces</legend>
      <FieldMessages id={fid(['devices', index, 'nics', 'msg'])} {...list} />
      {nics.map((nic, j) => {
        const at = (field: string): FieldPath => ['devices', index, 'nics', j, field];
        return (
          <div class="ve-row ve-item" key={j}>
            <Field
              id={fid(at('port'))}
              label={`NIC ${j + 1} name`}
              value={text(nic.port)}
              size={6}
              {...messages(ctx, at('port'))}
              onCommit={(t) => store.apply(renamePort(store.draft.peek(), device.id, j, t.trim()), `Renamed ${device.id}'s ${nic.port} to ${t.trim()}; its cable follows.`)}
            />
            <Field label={`${nic.port} MAC address`} hint="like 02:00:00:00:00:0a" size={17} {...bind(ctx, at('mac'), nic.mac, trimmed, `MAC address of ${device.id} ${nic.port} changed.`)} />
            <Field label={`${nic.port} IPv4 address/prefix`} hint="like 10.0.0.1/24; empty for none" size={16} {...bind(ctx, at('ip'), nic.ip, optional, `Address of ${device.id} ${nic.port} changed.`)} />
            <Field label={`${nic.port} MTU (optional)`} hint="68–65535, default 1500" inputMode="numeric" size={6} {...bind(ctx, at('mtu'), nic.mtu, numberOrText, `MTU of ${device.id} ${nic.port} changed.`)} />
            <button
              type="button"
              class="vp-btn vp-btn--small ve-danger"
              onClick={() => {
                const removal = removePort(store.draft.peek(), device.id, j);
                store.apply(removal.scenario, removalSentence(`${device.id}'s ${nic.port}`, removal.links, []));
              }}
            >
              Remove {nic.port}
            </button>
            <SubInterfaces ctx={ctx} index={index} nic={j} name={nic.port} items={nic.vlans ?? []} />
            <LazyForm
              label={`${nic.port}: ${nic.macvlan ? `macvlan ${nic.macvlan.mode ?? 'vepa'} on ${nic.macvlan.parent}` : nic.ipvlan ? `ipvlan ${nic.ipvlan.mode ?? 'l3'} on ${nic.ipvlan.parent}` : 'stack on another card'}…`}
              load={() => import('./StackedNicForm')}
              props={{ ctx, index, nic: j }}
            />
          </div>
        );
      })}
      <button
        type="button"
        class="vp-btn vp-btn--small"
        onClick={() => {
          const added = addPort(store.draft.peek(), device.id);
          store.apply(added.scenario, `Added ${added.port} to ${device.id}.`);
        }}
      >
        Add a network interface to {device.id}
      </button>
    </fieldset>
  );
}

function PortList({ ctx, index, ports }: { ctx: FormContext; index: number; ports: string[] }) {
  const { store, fid } = ctx;
  const device = ctx.draft.devices[index]!;
  const list = messages(ctx, ['devices', index, 'ports']);
  const [shown, setShown] = useState(PORTS_SHOWN);
  return (
    <fieldset class="ve-list">
      <legend>Ports</legend>
      <FieldMessages id={fid(['devices', index, 'ports', 'msg'])} {...list} />
      <div class="ve-row">
        {ports.slice(0, shown).map((port, j) => {
          const path: FieldPath = ['devices', index, 'ports', j];
          return (
            <div class="ve-item ve-port" key={j}>
              <Field
                id={fid(path)}
                label={`Port ${j + 1} name`}
                value={text(port)}
                size={5}
                {...messages(ctx, path)}
                onCommit={(t) => store.apply(renamePort(store.draft.peek(), device.id, j, t.trim()), `Renamed ${device.id}'s ${port} to ${t.trim()}; its cable follows.`)}
              />
              <RemovePortButton store={store} device={device.id} index={j} port={port} />
            </div>
          );
        })}
      </div>
      <ShowMore hidden={ports.length - Math.min(shown, ports.length)} shown={shown} initial={PORTS_SHOWN} what="ports" page={PORTS_PAGE} onShow={setShown} />
      <AddPortButton store={store} device={device.id} />
    </fieldset>
  );
}

/** Removes one port of a hub, bridge or switch, and says which cables went with it. */
function RemovePortButton({ store, device, index, port }: { store: EditorStore; device: string; index: number; port: string }) {
  return (
    <button
      type="button"
      class="vp-btn vp-btn--small ve-danger"
      aria-label={`Remove port ${port} of ${device}`}
      onClick={() => {
        const removal = removePort(store.draft.peek(), device, index);
        store.apply(removal.scenario, removalSentence(`${device}'s port ${port}`, removal.links, []));
      }}
    >
      Remove
    </button>
  );
}

function AddPortButton({ store, device }: { store: EditorStore; device: string }) {
  return (
    <button
      type="button"
      class="vp-btn vp-btn--small"
      onClick={() => {
        const added = addPort(store.draft.peek(), device);
        store.apply(added.scenario, `Added port ${added.port} to ${device}.`);
      }}
    >
      Add a port to {device}
    </button>
  );
}

type VxlanFormModule = typeof import('./VxlanForm');
let vxlanForm: VxlanFormModule | null = null;

/** The VXLAN interfaces' form behind a button: its code (VxlanForm.tsx) is fetched when first opened. */
function VxlanSlot({ ctx, index, count }: { ctx: FormContext; index: number; count: number }) {
  const [open, setOpen] = useState(false);
  const [, setLoaded] = useState(vxlanForm !== null);
  const [failed, setFailed] = useState(false);
  const toggle = () => {
    setOpen(!open);
    if (!vxlanForm)
      import('./VxlanForm').then(
        (m) => setLoaded(!!(vxlanForm = m)),
        () => setFailed(true),
      );
  };
  const Form = open && vxlanForm ? vxlanForm.default : null;
  return (
    <div class="ve-list">
      <button type="button" class="vp-btn vp-btn--small" aria-expanded={open} onClick={toggle}>
        VXLAN interfaces ({count})
      </button>
      {open && !Form && <p role="status">{failed ? 'The VXLAN form could not be loaded (are you offline?).' : 'Loading the VXLAN form…'}</p>}
      {Form && <Form ctx={ctx} index={index} />}
    </div>
  );
}

/** A small list editor: rows of fields, a Remove button per row, an Add button. */
export function ListRows<T>(props: {
  ctx: FormContext;
  legend: string;
  path: FieldPath;
  items: readonly T[];
  fields: readonly { key: keyof T & string; label: (item: T, k: number) => string; hint?: string; size: number; parse: (t: string) => unknown }[];
  newItem: () => T;
  addText: string;
  itemName: (item: T, k: number) => string;
  /** More of a row under its fields (a bridge device's ports). */
  extra?: (item: T, k: number) => ComponentChildren;
}) {
  const { ctx, path, items } = props;
  const { store, fid } = ctx;
  return (
    <fieldset class="ve-list">
      <legend>{props.legend}</legend>
      <FieldMessages id={fid([...path, 'msg'])} {...messages(ctx, path)} />
      {items.map((item, k) => (
        <div class="ve-row ve-item" key={k}>
          {props.fields.map((f) => {
            const at: FieldPath = [...path, k, f.key];
            return (
              <Field key={f.key} label={f.label(item, k)} hint={f.hint} size={f.size} {...bind(ctx, at, Array.isArray(item[f.key]) ? (item[f.key] as unknown[]).join(', ') : item[f.key], f.parse, `${f.label(item, k)} changed.`, true)} />
            );
          })}
          <button type="button" class="vp-btn vp-btn--small ve-danger" onClick={() => store.apply(removeListItem(store.draft.peek(), path, k), `Removed ${props.itemName(item, k)}.`)}>
            Remove {props.itemName(item, k)}
          </button>
          {props.extra?.(item, k)}
        </div>
      ))}
      <button type="button" class="vp-btn vp-btn--small" onClick={() => store.apply(addListItem(store.draft.peek(), path, props.newItem()), `${props.addText}: done.`)}>
        {props.addText}
      </button>
    </fieldset>
  );
}

const vlanNumber = (t: string) => numberOrText(t);

function SubInterfaces({ ctx, index, nic, name, items }: { ctx: FormContext; index: number; nic: number; name: string; items: VlanSubinterfaceSpec[] }) {
  const used = new Set(items.map((i) => i.vlan));
  let next = 10;
  while (used.has(next)) next += 10;
  return (
    <ListRows<VlanSubinterfaceSpec>
      ctx={ctx}
      legend={`802.1Q sub-interfaces of ${name}`}
      path={['devices', index, 'nics', nic, 'vlans']}
      items={items}
      fields={[
        { key: 'vlan', label: (_i, k) => `${name} sub-interface ${k + 1} VLAN`, hint: '1–4094', size: 5, parse: vlanNumber },
        { key: 'ip', label: (_i, k) => `${name} sub-interface ${k + 1} IPv4 address/prefix`, hint: 'like 10.0.10.1/24', size: 16, parse: trimmed },
        { key: 'mtu', label: (_i, k) => `${name} sub-interface ${k + 1} MTU (optional)`, hint: `default: ${name}'s`, size: 6, parse: numberOrText },
      ]}
      newItem={() => ({ vlan: next, ip: `10.0.${next % 256}.1/24` })}
      addText={`Add a VLAN sub-interface to ${name}`}
      itemName={(i) => `${name}.${i.vlan}`}
    />
  );
}

/**
 * The bridge net devices of a host or router namespace (Linux `ip link add br0 type bridge`): each
 * with its interface name, MAC and optional address, and its ports ticked from the namespace's NICs.
 */
function NetdevBridges({ ctx, index, nics, bridges }: { ctx: FormContext; index: number; nics: HostNicSpec[]; bridges: BridgeNetdevSpec[] }) {
  const { store, fid } = ctx;
  const id = ctx.draft.devices[index]!.id;
  const name = (b: BridgeNetdevSpec, k: number) => text(b.name) || `bridge ${k + 1}`;
  return (
    <ListRows<BridgeNetdevSpec>
      ctx={ctx}
      legend="Bridge devices (over this namespace's NICs)"
      path={['devices', index, 'bridges']}
      items={bridges}
      fields={[
        { key: 'name', label: (_b, k) => `Bridge ${k + 1} interface name`, hint: 'like br0', size: 8, parse: trimmed },
        { key: 'mac', label: (b, k) => `${name(b, k)} MAC address`, size: 17, parse: trimmed },
        { key: 'ip', label: (b, k) => `${name(b, k)} IPv4 address/prefix`, hint: 'empty for none', size: 16, parse: optional },
      ]}
      newItem={() => newNetdevBridge(store.draft.peek(), id)}
      addText={`Add a bridge device to ${id}`}
      itemName={name}
      extra={(b, k) => {
        const at: FieldPath = ['devices', index, 'bridges', k, 'ports'];
        const msgs = messages(ctx, at, true);
        return (
          <fieldset class="ve-ports" id={fid(at)} tabIndex={-1}>
            <legend>Ports of {name(b, k)}</legend>
            {nics.map((nic, j) => (
              <span class="ve-check" key={j}>
                <input
                  id={`${fid(at)}-${j}`}
                  type="checkbox"
                  checked={Array.isArray(b.ports) && b.ports.includes(nic.port)}
                  onChange={(e) => store.apply(setBridgePort(store.draft.peek(), id, k, nic.port, (e.currentTarget as HTMLInputElement).checked), `Ports of ${name(b, k)} changed.`)}
                />
                <label for={`${fid(at)}-${j}`}>{nic.port}</label>
              </span>
            ))}
            <FieldMessages id={`${fid(at)}-msg`} {...msgs} />
          </fieldset>
        );
      }}
    />
  );
}

/** A bridge's own interface (Linux br0 with a MAC and an address), switched on and off with a checkbox. */
function BridgeLocal({ ctx, index, device }: { ctx: FormContext; index: number; device: BridgeSpec }) {
  const { store, fid } = ctx;
  const at = (...rest: string[]): FieldPath => ['devices', index, 'local', ...rest];
  const local = device.local;
  const name = device.id;
  return (
    <fieldset class="ve-list">
      <legend>Local interface</legend>
      <div class="ve-check">
        <input
          id={fid(at())}
          type="checkbox"
          checked={local !== undefined}
          aria-describedby={messages(ctx, at()).errors.length ? `${fid(at())}-msg` : undefined}
          onChange={(e) => {
            const on = (e.currentTarget as HTMLInputElement).checked;
            store.apply(setBridgeLocal(store.draft.peek(), device.id, on), `${name} has ${on ? 'its own' : 'no'} interface now.`);
          }}
        />
        <label for={fid(at())}>{name} has its own interface (an IP stack for its MAC and broadcasts)</label>
      </div>
      <FieldMessages id={`${fid(at())}-msg`} {...messages(ctx, at())} />
      {local !== undefined && (
        <div class="ve-row">
          <Field label={`${name} local MAC address`} hint="like 02:00:00:00:00:b0" size={17} {...bind(ctx, at('mac'), local.mac, trimmed, `MAC address of ${name} changed.`)} />
          <Field label={`${name} local IPv4 address/prefix`} hint="like 10.0.0.1/24" size={16} {...bind(ctx, at('ip'), local.ip, trimmed, `Address of ${name} changed.`)} />
        </div>
      )}
    </fieldset>
  );
}

function Routes({ ctx, index, routes }: { ctx: FormContext; index: number; routes: RouteSpec[] }) {
  return (
    <ListRows
      ctx={ctx}
      legend="Static routes"
      path={['devices', index, 'routes']}
      items={routes}
      fields={[
        { key: 'to', label: (_r, k) => `Route ${k + 1} destination`, hint: 'prefix, 0.0.0.0/0 for default', size: 16, parse: trimmed },
        { key: 'via', label: (_r, k) => `Route ${k + 1} next hop`, hint: 'an address on-link', size: 14, parse: trimmed },
      ]}
      newItem={() => ({ to: '0.0.0.0/0', via: '' })}
      addText="Add a route"
      itemName={(r, k) => `route ${k + 1} (${r.to || 'new'})`}
    />
  );
}

function MacVlans({ ctx, index, items }: { ctx: FormContext; index: number; items: MacVlanSpec[] }) {
  return (
    <ListRows
      ctx={ctx}
      legend="MAC-based VLANs (untagged frames from a MAC join its VLAN)"
      path={['devices', index, 'macVlans']}
      items={items}
      fields={[
        { key: 'mac', label: (_m, k) => `Rule ${k + 1} MAC address`, hint: 'like 02:00:00:00:00:0a', size: 17, parse: trimmed },
        { key: 'vlan', label: (_m, k) => `Rule ${k + 1} VLAN`, hint: '1–4094', size: 5, parse: vlanNumber },
      ]}
      newItem={() => ({ mac: freeMac(ctx.store.draft.peek()), vlan: 10 })}
      addText="Add a MAC-based VLAN rule"
      itemName={(m, k) => `rule ${k + 1} (${m.mac})`}
    />
  );
}

function SwitchPorts({ ctx, index, ports }: { ctx: FormContext; index: number; ports: SwitchPortSpec[] }) {
  const { store, fid } = ctx;
  const device = ctx.draft.devices[index]!;
  const [shown, setShown] = useState(PORTS_SHOWN);
  return (
    <fieldset class="ve-list">
      <legend>Ports and VLANs</legend>
      <FieldMessages id={fid(['devices', index, 'ports', 'msg'])} {...messages(ctx, ['devices', index, 'ports'])} />
      {ports.slice(0, shown).map((port, j) => {
        const at = (field: string): FieldPath => ['devices', index, 'ports', j, field];
        const trunk = port.mode === 'trunk';
        const name = text(port.port);
        const said = `Port ${name} of ${device.id} changed.`;
        return (
          <div class="ve-row ve-item" key={j}>
            <Field
              id={fid(at('port'))}
              label={`Port ${j + 1} name`}
              value={name}
              size={5}
              {...messages(ctx, at('port'))}
              onCommit={(t) => store.apply(renamePort(store.draft.peek(), device.id, j, t.trim()), `Renamed ${device.id}'s ${name} to ${t.trim()}; its cable follows.`)}
            />
            <SelectField
              id={fid(at('mode'))}
              label={`${name} mode`}
              value={trunk ? 'trunk' : 'access'}
              options={[
                { value: 'access', text: 'access (untagged)' },
                { value: 'trunk', text: 'trunk (tagged)' },
              ]}
              {...messages(ctx, at('mode'))}
              onChange={(m) => store.apply(setPortMode(store.draft.peek(), device.id, j, m as 'access' | 'trunk'), `${name} of ${device.id} is now a${m === 'access' ? 'n access port' : ' trunk'}.`)}
            />
            {trunk ? (
              <>
                <Field label={`${name} tagged VLANs`} hint="like 10, 20" size={10} {...bind(ctx, at('vlans'), port.vlans?.join(', '), listOrText, said, true)} />
                <Field label={`${name} native VLAN (optional)`} hint="untagged frames" size={5} {...bind(ctx, at('native'), port.native, numberOrText, said)} />
              </>
            ) : (
              <Field label={`${name} VLAN`} hint="1–4094, default 1" size={5} {...bind(ctx, at('vlan'), port.vlan, numberOrText, said)} />
            )}
            <Field label={`${name} MAC limit (optional)`} hint="port security" size={5} {...bind(ctx, at('maxMacs'), port.maxMacs, numberOrText, said)} />
            <RemovePortButton store={store} device={device.id} index={j} port={name} />
          </div>
        );
      })}
      <ShowMore hidden={ports.length - Math.min(shown, ports.length)} shown={shown} initial={PORTS_SHOWN} what="ports" page={PORTS_PAGE} onShow={setShown} />
      <AddPortButton store={store} device={device.id} />
    </fieldset>
  );
}

/**
 * A form that is not part of edit mode's first download: a button that loads it with import() the
 * first time the reader opens it (the macvlan/ipvlan and NAT forms), and shows or hides it.
 */
function LazyForm<P extends object>({ label, load, props }: { label: string; load: () => Promise<{ default: ComponentType<P> }>; props: P }) {
  const [open, setOpen] = useState(false);
  const [form, setForm] = useState<{ C: ComponentType<P> } | null>(null);
  const [failed, setFailed] = useState(false);
  const Form = form?.C;
  return (
    <div class="ve-lazy">
      <button
        type="button"
        class="vp-btn vp-btn--small"
        aria-expanded={open ? 'true' : 'false'}
        onClick={() => {
          setOpen(!open);
          if (!form) {
            setFailed(false);
            load().then(
              (m) => setForm({ C: m.default }),
              () => setFailed(true),
            );
          }
        }}
      >
        {label}
      </button>
      {open && (Form ? <Form {...props} /> : <p class="ve-hint" role="status">{failed ? 'This form could not be loaded (are you offline?). Try again.' : 'Loading…'}</p>)}
    </div>
  );
}
