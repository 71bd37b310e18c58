// Edit mode of a scenario player, loaded with import() only when the reader presses "Edit": the
// toolbar (add devices, draw cables, undo/redo, reset, share, export, import), the list of what the
// validator objects to, the selected device's form, the cables and the traffic script. The pointer
// handlers for the drawing (drag to lay out, draw and cut cables) live here too, and are handed to
// Topology. Names and labels are only ever rendered as text.

import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { connect, connectDevices, disconnect, setLinkType, addDevice, addTraffic, freeEndpoints, moveDevice, newAction, numberOrText, pathKey, removeTraffic, setField, ADDABLE_KINDS, type FieldPath } from '../../editor/ops';
import { describePath, inWords, parsePath } from '../../editor/issues';
import { encodeScenario, shareFragment } from '../../editor/share';
// Import and export (editor/transfer.ts) load when first used: they are what few readers press, and
// edit mode's JavaScript has a budget (scripts/page-js-weight.mjs).
const transfer = () => import('../../editor/transfer');
import { jsonOf } from '../../editor/texts';
import { fileTooLarge } from '../../sim/scenario/read';
import { rememberVerdict, type EditorStore } from '../../editor/store';
import { OFF_THREAD_CHARS, OFF_THREAD_DEVICES, offThreadChecker } from '../../editor/checker';
import { formatCount } from '../../sim/scenario/limits';
import { toHint } from '../../render/geometry';
import type { Layout } from '../../render/layout';
import { splitEndpoint, type ActionKind, type LinkType, type Scenario, type TrafficAction } from '../../sim/scenario/format';
import { BigSelect } from '../BigSelect';
import { useRovingToolbar } from '../player-keys';
import { ShowMore } from '../ShowMore';
import type { TopologyEdit } from '../Topology';
import { bind, DeviceForm, messages, type FormContext } from './DeviceForm';
import { Field, FieldMessages, SelectField } from './Field';
import { canSend, canTarget } from '../senders';
import './editor.css';

/** Cables and scripted actions listed at first (a big topology has thousands); "Show more" adds ROWS_PAGE at a time. */
const ROWS_SHOWN = 50;
const ROWS_PAGE = 200;

export { createEditor } from '../../editor/store';
// The edit operations a "Try it" challenge makes (src/challenges/challenges.ts, try-it.ts), from the chunk already loaded.
export { setField } from '../../editor/ops';

/** The drawing's pointer handlers in edit mode. */
export function topologyEdit(store: EditorStore, layout: Layout): TopologyEdit {
  const click = (id: string) => {
    if (!store.cableMode.peek()) {
      store.select(store.draft.peek().devices.findIndex((d) => d.id === id));
      return;
    }
    const from = store.cableFrom.peek();
    if (from === null || from === id) {
      store.setCableFrom(from === id ? null : id);
      if (from !== id) store.say(`Drawing a cable from ${id}: now click the device at the other end.`);
      return;
    }
    store.setCableFrom(null);
    const made = connectDevices(store.draft.peek(), from, id);
    if ('error' in made) store.say(made.error, true);
    else store.apply(made.scenario, `Connected ${made.link.a} to ${made.link.b}${made.link.type ? ' with a veth pair' : ''}.`);
  };
  return {
    selected: store.draft.value.devices[store.selected.value ?? 0]?.id ?? null,
    cableFrom: store.cableFrom.value,
    onCableRemove(index) {
      const link = store.draft.peek().links[index];
      if (link) store.apply(disconnect(store.draft.peek(), index), `Disconnected ${link.a} from ${link.b}.`);
    },
    onDevicePointerDown(id, event) {
      if (event.button !== 0) return;
      const g = event.currentTarget as SVGGElement;
      const svg = g.ownerSVGElement;
      const ctm = svg?.getScreenCTM();
      const d = layout.device.get(id);
      if (!svg || !ctm || !d) return;
      event.preventDefault();
      const inverse = ctm.inverse();
      const toView = (e: PointerEvent) => new DOMPoint(e.clientX, e.clientY).matrixTransform(inverse);
      const start = toView(event);
      const before = g.getAttribute('transform') ?? '';
      let offset = { x: 0, y: 0 };
      let dragging = false;
      g.setPointerCapture?.(event.pointerId);
      const move = (e: PointerEvent) => {
        const p = toView(e);
        offset = { x: p.x - start.x, y: p.y - start.y };
        if (!dragging && Math.hypot(offset.x, offset.y) < 4) return;
        dragging = true;
        g.setAttribute('transform', `translate(${d.x + offset.x},${d.y + offset.y})`);
      };
      const end = (e: PointerEvent) => {
        g.removeEventListener('pointermove', move);
        g.removeEventListener('pointerup', end);
        g.removeEventListener('pointercancel', end);
        g.setAttribute('transform', before);
        if (e.type === 'pointercancel') return;
        if (!dragging) {
          click(id);
          return;
        }
        const to = toHint(layout, { x: d.x + offset.x, y: d.y + offset.y });
        if (store.draft.peek().devices.some((x) => x.id === id)) store.apply(moveDevice(store.draft.peek(), id, to, layout.hints), `Moved ${id}.`);
      };
      g.addEventListener('pointermove', move);
      g.addEventListener('pointerup', end);
      g.addEventListener('pointercancel', end);
    },
  };
}

export interface EditorPanelProps {
  store: EditorStore;
  idPrefix: string;
}

const NO_ENDPOINTS: string[] = [];

const endpointText = (e: string) => {
  const { device, port } = splitEndpoint(e);
  return `${device} ${port}`;
};

export function EditorPanel({ store, idPrefix }: EditorPanelProps) {
  const draft = store.draft.value;
  const result = store.result.value;
  // A big draft's verdict follows a moment later: its predecessor's problems are not shown meanwhile.
  const checking = store.checking.value;
  const notice = store.notice.value;
  const deviceSelect = useRef<HTMLSelectElement>(null);
  const root = useRef<HTMLDivElement>(null);
  const noticeRef = useRef<HTMLParagraphElement>(null);
  const lastFocus = useRef<Element | null>(null);
  // A button that removed its own row (Disconnect, Remove) takes focus with it: give it to the
  // status line, which says what was removed, instead of letting it fall to the top of the page.
  useEffect(() => {
    const last = lastFocus.current;
    if (last && !last.isConnected && (document.activeElement === document.body || document.activeElement === null)) noticeRef.current?.focus();
  });
  const [shareUrl, setShareUrl] = useState('');
  // The toolbar is one Tab stop (the item focused last, Add host at first): ← → Home End move in it.
  const toolbar = useRovingToolbar();
  const rove = toolbar.rove;
  // A link made before the latest change would share an older version: take it away.
  const running = store.running.value;
  useEffect(() => setShareUrl(''), [running]);
  const fid = (path: FieldPath) => `${idPrefix}-ed-${pathKey(path).replace(/[^A-Za-z0-9]/g, '_')}`;
  const ctx: FormContext = { store, draft, fid };
  const deviceChoices = useMemo(() => draft.devices.map((d, i) => ({ value: String(i), text: `${d.id}${d.label && d.label !== d.id ? ` (${d.label})` : ''} — ${d.kind}` })), [draft.devices]);
  const selectedIndex = draft.devices.length === 0 ? -1 : Math.min(store.selected.value ?? 0, draft.devices.length - 1);

  const add = (kind: (typeof ADDABLE_KINDS)[number]) => {
    const added = addDevice(store.draft.peek(), kind);
    store.apply(added.scenario, `Added ${kind} ${added.id}; its form is open below. Connect it under “Cables”${kind === 'host' ? '' : ' or with the pointer'}.`);
    store.select(added.scenario.devices.length - 1);
  };

  /** Opens the form holding the field a validator path names, and focuses that field. */
  const goTo = (path: string) => {
    const parts = parsePath(path);
    if (parts[0] === 'devices' && typeof parts[1] === 'number') store.select(parts[1]);
    requestAnimationFrame(() => {
      for (let n = parts.length; n > 0; n--) {
        const el = document.getElementById(fid(parts.slice(0, n)));
        if (el) {
          el.focus();
          return;
        }
      }
    });
  };

  const share = async () => {
    const { asEditedVersion } = await transfer();
    const payload = await encodeScenario(asEditedVersion(store.running.peek(), store.original));
    const url = `${location.origin}${location.pathname}${location.search}${shareFragment(store.original.id, payload)}`;
    setShareUrl(url);
    try {
      await navigator.clipboard.writeText(url);
      store.say('The share link is copied to the clipboard; it is also in the field below.');
    } catch {
      store.say('Copy the share link from the field below.');
    }
  };

  const exportJson = async () => {
    const { asEditedVersion, exportFileName, exportNotice, exportText } = await transfer();
    const running = store.running.peek();
    const edited = jsonOf(running) !== jsonOf(store.original);
    const blob = new Blob([exportText(asEditedVersion(running, store.original))], { type: 'application/json' });
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = exportFileName(store.original.id, edited);
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    store.say(exportNotice(a.download, edited));
  };

  const importJson = async (input: HTMLInputElement) => {
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    const { importFailureText, importText } = await transfer();
    const tooLarge = fileTooLarge(file.size);
    if (tooLarge) {
      store.say(importFailureText(file.name, { errors: [tooLarge], omitted: 0 }), true); // refused before reading: file.text() of gigabytes would freeze the page
      return;
    }
    const text = await file.text();
    // A big file is parsed and checked off the main thread (checker.ts), with the same reader.
    const imported = text.length > OFF_THREAD_CHARS ? await offThreadChecker().checkImport(text, store.original.id) : importText(text, store.original.id);
    if (!imported.ok) {
      store.say(importFailureText(file.name, imported), true);
      return;
    }
    rememberVerdict({ ok: true, scenario: imported.scenario, warnings: imported.warnings });
    store.apply(imported.scenario, `Imported ${file.name}.${imported.note ? ` ${imported.note}` : ''}`);
  };

  const onKeyDown = (e: KeyboardEvent) => {
    const target = e.target as HTMLElement;
    if (e.key === 'Escape' && store.cableMode.peek()) {
      store.setCableMode(false);
      store.say('Stopped drawing cables.');
      return;
    }
    if (!(e.ctrlKey || e.metaKey) || target.tagName === 'INPUT') return;
    const key = e.key.toLowerCase();
    if (key === 'z' && !e.shiftKey) store.undo();
    else if (key === 'y' || (key === 'z' && e.shiftKey)) store.redo();
    else return;
    e.preventDefault();
  };

  return (
    <div class="ve" role="group" aria-label="Edit the experiment" ref={root} onKeyDown={onKeyDown} onFocusIn={(e) => (lastFocus.current = e.target as Element)}>
      <div class="ve-toolbar" role="toolbar" aria-label="Editing" ref={toolbar.ref} onKeyDown={toolbar.onKeyDown}>
        {ADDABLE_KINDS.map((kind, i) => (
          <button key={kind} type="button" class="vp-btn vp-btn--small" onClick={() => add(kind)} {...rove(i)}>
            Add {kind}
          </button>
        ))}
        <button
          type="button"
          class="vp-btn vp-btn--small"
          aria-pressed={store.cableMode.value ? 'true' : 'false'}
          {...rove(ADDABLE_KINDS.length)}
          onClick={() => {
            const on = !store.cableMode.peek();
            store.setCableMode(on);
            store.say(on ? 'Click a device in the drawing, then the device to connect it to. Escape stops.' : 'Stopped drawing cables.');
          }}
        >
          Draw cables by pointer
        </button>
        <button type="button" class="vp-btn vp-btn--small" aria-disabled={store.canUndo.value ? undefined : 'true'} aria-keyshortcuts="Control+Z" onClick={() => store.undo()} {...rove(ADDABLE_KINDS.length + 1)}>
          Undo
        </button>
        <button type="button" class="vp-btn vp-btn--small" aria-disabled={store.canRedo.value ? undefined : 'true'} aria-keyshortcuts="Control+Y" onClick={() => store.redo()} {...rove(ADDABLE_KINDS.length + 2)}>
          Redo
        </button>
        <button type="button" class="vp-btn vp-btn--small" onClick={() => store.reset()} {...rove(ADDABLE_KINDS.length + 3)}>
          Reset to the chapter's version
        </button>
        <button type="button" class="vp-btn vp-btn--small" onClick={() => void share()} {...rove(ADDABLE_KINDS.length + 4)}>
          Share link
        </button>
        <button type="button" class="vp-btn vp-btn--small" onClick={exportJson} {...rove(ADDABLE_KINDS.length + 5)}>
          Export JSON
        </button>
        <label class="vp-btn vp-btn--small ve-file">
          Import JSON
          <input type="file" accept="application/json,.json" class="visually-hidden" {...rove(ADDABLE_KINDS.length + 6)} onChange={(e) => void importJson(e.currentTarget as HTMLInputElement)} />
        </label>
      </div>

      <p class={`ve-notice${notice?.error ? ' ve-notice--error' : ''}`} role="status" tabIndex={-1} ref={noticeRef}>
        {notice?.text ?? 'Every change re-runs the experiment from the start. Drag devices in the drawing to move them.'}
      </p>

      {shareUrl && (
        <div class="ve-field ve-share">
          <label for={`${idPrefix}-ed-share`}>Share link</label>
          <input id={`${idPrefix}-ed-share`} type="text" readOnly value={shareUrl} onFocus={(e) => (e.currentTarget as HTMLInputElement).select()} />
        </div>
      )}

      {!checking && !result.ok && (
        <div class="ve-summary ve-summary--error">
          <p>
            <strong>{result.errors.length === 1 ? 'One problem' : `${result.errors.length} problems`}</strong> — the last valid version keeps running until {result.errors.length === 1 ? 'it is' : 'they are'} fixed:
          </p>
          <ul>
            {result.errors.map((e, i) => (
              <li key={i}>
                <button type="button" class="ve-link" onClick={() => goTo(e.path)}>
                  {describePath(e.path, draft)}
                </button>
                : {inWords(e.message)}
              </li>
            ))}
          </ul>
        </div>
      )}
      {!checking && result.warnings.length > 0 && (
        <div class="ve-summary ve-summary--warning">
          <p>
            <strong>{result.warnings.length === 1 ? 'One warning' : `${result.warnings.length} warnings`}</strong> — allowed, and worth watching:
          </p>
          <ul>
            {result.warnings.map((w, i) => (
              <li key={i}>
                <button type="button" class="ve-link" onClick={() => goTo(w.path)}>
                  {describePath(w.path, draft)}
                </button>
                : {inWords(w.message)}
              </li>
            ))}
          </ul>
        </div>
      )}

      <section class="ve-section" aria-labelledby={`${idPrefix}-ed-devices`}>
        <h3 class="ve-title" id={`${idPrefix}-ed-devices`}>
          Devices
        </h3>
        <div class="ve-field">
          <label for={`${idPrefix}-ed-device`}>Device to edit</label>
          <BigSelect
            selectRef={deviceSelect}
            id={`${idPrefix}-ed-device`}
            value={String(selectedIndex)}
            options={deviceChoices}
            onChoose={(v) => store.select(Number(v))}
          />
        </div>
        {selectedIndex >= 0 && (
          <DeviceForm
            key={selectedIndex}
            ctx={ctx}
            index={selectedIndex}
            onRemoved={() => {
              store.select(null);
              requestAnimationFrame(() => deviceSelect.current?.focus());
            }}
          />
        )}
      </section>

      <Cables ctx={ctx} idPrefix={idPrefix} />
      <Traffic ctx={ctx} idPrefix={idPrefix} />
    </div>
  );
}

const LINK_TYPES: { value: LinkType; text: string }[] = [
  { value: 'cable', text: 'cable' },
  { value: 'veth', text: 'veth pair' },
];

/** Issues anywhere inside `path` except at the fields a row shows with their own (`shown`). */
function otherMessages(ctx: FormContext, path: FieldPath, shown: readonly string[]) {
  const { errors, warnings } = ctx.store.issues.value;
  const key = pathKey(path);
  const pick = (map: Map<string, string[]>) => [...map].flatMap(([p, m]) => ((p.startsWith(`${key}.`) || p === key) && !shown.some((f) => p === `${key}.${f}`) ? m : []));
  return { errors: pick(errors), warnings: pick(warnings) };
}

function Cables({ ctx, idPrefix }: { ctx: FormContext; idPrefix: string }) {
  const { store, draft } = ctx;
  // A big draft has thousands of ports: they are listed in a task of their own after the draft
  // changes, so that an import or an edit does not also wait for the list.
  const big = draft.devices.length > OFF_THREAD_DEVICES;
  const now = useMemo(() => (big ? null : freeEndpoints(draft)), [draft, big]);
  const [later, setLater] = useState<{ draft: Scenario; free: string[] } | null>(null);
  useEffect(() => {
    if (!big || later?.draft === draft) return;
    const timer = setTimeout(() => setLater({ draft, free: freeEndpoints(draft) }), 0);
    return () => clearTimeout(timer);
  }, [draft, big]);
  const listed = now ?? (later?.draft === draft ? later.free : null);
  const free = listed ?? NO_ENDPOINTS;
  const [a, setA] = useState('');
  const [b, setB] = useState('');
  const [type, setType] = useState<LinkType>('cable');
  const [cablesShown, setCablesShown] = useState(ROWS_SHOWN);
  const from = free.includes(a) ? a : (free[0] ?? '');
  const fallbackTo = free.find((e) => splitEndpoint(e).device !== splitEndpoint(from).device) ?? free.find((e) => e !== from) ?? '';
  const to = free.includes(b) && b !== from ? b : fallbackTo;
  const options = useMemo(() => free.map((e) => ({ value: e, text: endpointText(e) })), [free]);
  const toOptions = useMemo(() => options.filter((o) => o.value !== from), [options, from]);
  return (
    <section class="ve-section" aria-labelledby={`${idPrefix}-ed-cables`}>
      <h3 class="ve-title" id={`${idPrefix}-ed-cables`}>
        Cables
      </h3>
      {draft.links.length === 0 ? (
        <p class="vp-muted">No cables.</p>
      ) : (
        <ul class="ve-rows">
          {draft.links.slice(0, cablesShown).map((link, i) => (
            <li key={i} class="ve-item ve-row">
              <span>
                {endpointText(link.a)} — {endpointText(link.b)}
              </span>
              <SelectField
                id={ctx.fid(['links', i, 'type'])}
                label={`Link ${i + 1} type`}
                value={link.type === 'veth' ? 'veth' : 'cable'}
                options={LINK_TYPES}
                errors={messages(ctx, ['links', i, 'type']).errors}
                onChange={(t) => store.apply(setLinkType(store.draft.peek(), i, t as LinkType), `Link ${i + 1} changed.`)}
              />
              <button type="button" class="vp-btn vp-btn--small ve-danger" aria-label={`Disconnect ${endpointText(link.a)} from ${endpointText(link.b)}`} onClick={() => store.apply(disconnect(store.draft.peek(), i), `Disconnected ${link.a} from ${link.b}.`)}>
                Disconnect
              </button>
              <FieldMessages id={ctx.fid(['links', i])} {...otherMessages(ctx, ['links', i], ['type'])} />
            </li>
          ))}
        </ul>
      )}
      <ShowMore hidden={draft.links.length - Math.min(cablesShown, draft.links.length)} shown={cablesShown} initial={ROWS_SHOWN} what="cables" page={ROWS_PAGE} onShow={setCablesShown} />
      {listed === null ? (
        <p class="vp-muted">Listing the free ports of {formatCount(draft.devices.length)} devices…</p>
      ) : (
        free.length < 2 && <p class="vp-muted">Fewer than two free ports: add a port or a network interface to connect more.</p>
      )}
      <form
        class="ve-row ve-connect"
        onSubmit={(e) => {
          e.preventDefault();
          if (!from || !to) return;
          store.apply(connect(store.draft.peek(), from, to, type), `Connected ${from} to ${to}${type === 'veth' ? ' with a veth pair' : ''}.`);
          setA('');
          setB('');
        }}
      >
        <SelectField id={`${idPrefix}-ed-connect-a`} label="Connect port" value={from} options={options} onChange={setA} />
        <SelectField id={`${idPrefix}-ed-connect-b`} label="to port" value={to} options={toOptions} onChange={setB} />
        <SelectField id={`${idPrefix}-ed-connect-type`} label="with a" value={type} options={LINK_TYPES} onChange={(t) => setType(t as LinkType)} />
        <button type="submit" class="vp-btn vp-btn--small" aria-disabled={from && to ? undefined : 'true'}>
          Connect
        </button>
      </form>
    </section>
  );
}

const KINDS: { value: ActionKind; text: string }[] = [
  { value: 'ping', text: 'ping' },
  { value: 'udp', text: 'UDP datagram' },
  { value: 'arp', text: 'ARP request' },
  { value: 'raw', text: 'raw Ethernet frame' },
];

const MTU_DISCOVERY: { value: string; text: string }[] = [
  { value: '', text: 'default (want)' },
  { value: 'want', text: 'want: DF if it fits' },
  { value: 'do', text: 'do: always DF' },
  { value: 'dont', text: 'dont: never DF' },
];


/** The settings of one scripted ping or UDP datagram (size, ping -M, ports), each with the validator's words for it. */
function ActionOptions({ ctx, index, action, name }: { ctx: FormContext; index: number; action: TrafficAction; name: string }) {
  const at = (field: string): FieldPath => ['traffic', index, field];
  const said = `“${name}” changed.`;
  const label = `Traffic ${index + 1}`;
  if (action.do === 'ping') {
    return (
      <div class="ve-row">
        <Field label={`${label} data bytes (ping -s)`} hint="0–65507, default 56" inputMode="numeric" size={6} {...bind(ctx, at('size'), action.size, numberOrText, said)} />
        <SelectField
          id={ctx.fid(at('mtuDiscovery'))}
          label={`${label} path MTU discovery (ping -M)`}
          value={action.mtuDiscovery ?? ''}
          options={MTU_DISCOVERY}
          errors={messages(ctx, at('mtuDiscovery')).errors}
          onChange={(m) => ctx.store.apply(setField(ctx.store.draft.peek(), at('mtuDiscovery'), m || undefined), said)}
        />
      </div>
    );
  }
  if (action.do === 'udp') {
    return (
      <div class="ve-row">
        <Field label={`${label} UDP port`} hint="1–65535" inputMode="numeric" size={6} {...bind(ctx, at('port'), action.port, numberOrText, said)} />
        <Field label={`${label} UDP source port (optional)`} hint="default: an ephemeral one" inputMode="numeric" size={6} {...bind(ctx, at('sourcePort'), action.sourcePort, numberOrText, said)} />
        <Field label={`${label} data bytes`} hint="0–65507, default 32" inputMode="numeric" size={6} {...bind(ctx, at('size'), action.size, numberOrText, said)} />
      </div>
    );
  }
  return null;
}

/** The fields of a scripted action that ActionOptions shows, each with its own messages. */
const OPTIONS: Partial<Record<ActionKind, string[]>> = { ping: ['size', 'mtuDiscovery'], udp: ['port', 'sourcePort', 'size'] };

function Traffic({ ctx, idPrefix }: { ctx: FormContext; idPrefix: string }) {
  const { store, draft } = ctx;
  const [kind, setKind] = useState<ActionKind>('ping');
  const senders = useMemo(() => draft.devices.filter(canSend).map((d) => d.id), [draft.devices]);
  const [actionsShown, setActionsShown] = useState(ROWS_SHOWN);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const src = senders.includes(from) ? from : (senders[0] ?? '');
  const targets = useMemo(() => {
    const named = draft.devices.filter((d) => canTarget(d, kind)).map((d) => d.id);
    return kind === 'raw' ? [...named, 'broadcast'] : named;
  }, [draft.devices, kind]);
  const dst = targets.includes(to) ? to : (targets.find((h) => h !== src) ?? '');
  return (
    <section class="ve-section" aria-labelledby={`${idPrefix}-ed-traffic`}>
      <h3 class="ve-title" id={`${idPrefix}-ed-traffic`}>
        Traffic script
      </h3>
      {draft.traffic.length === 0 ? (
        <p class="vp-muted">No scripted traffic: use “Send packet”, or add some here.</p>
      ) : (
        <ol class="ve-rows">
          {draft.traffic.slice(0, actionsShown).map((action, i) => {
            const label = action.label ?? `${action.from} ${action.do} ${action.to}`;
            return (
              <li key={i} class="ve-item">
                <span>
                  {label}
                  {action.at !== undefined ? ` (at ${action.at} ms)` : ''}
                </span>{' '}
                <button type="button" class="vp-btn vp-btn--small ve-danger" aria-label={`Remove “${label}” from the script`} onClick={() => store.apply(removeTraffic(store.draft.peek(), i), `Removed “${label}” from the script.`)}>
                  Remove
                </button>
                <ActionOptions ctx={ctx} index={i} action={action} name={label} />
                <FieldMessages id={ctx.fid(['traffic', i])} {...otherMessages(ctx, ['traffic', i], OPTIONS[action.do] ?? [])} />
              </li>
            );
          })}
        </ol>
      )}
      <ShowMore hidden={draft.traffic.length - Math.min(actionsShown, draft.traffic.length)} shown={actionsShown} initial={ROWS_SHOWN} what="actions" page={ROWS_PAGE} onShow={setActionsShown} />
      {senders.length > 0 && (
        <form
          class="ve-row"
          onSubmit={(e) => {
            e.preventDefault();
            if (!src || !dst) return;
            const current = store.draft.peek();
            const action = newAction(current, kind, src, dst);
            store.apply(addTraffic(current, action), `Added “${src} ${kind} ${dst}” to the script${kind === 'udp' || kind === 'ping' ? '; its settings are in its row' : ''}.`);
          }}
        >
          <SelectField id={`${idPrefix}-ed-traffic-kind`} label="Action kind" value={kind} options={KINDS} onChange={(v) => setKind(v as ActionKind)} />
          <SelectField id={`${idPrefix}-ed-traffic-from`} label="from" value={src} options={senders.map((h) => ({ value: h, text: h }))} onChange={setFrom} />
          <SelectField id={`${idPrefix}-ed-traffic-to`} label="to" value={dst} options={targets.map((h) => ({ value: h, text: h }))} onChange={setTo} />
          <button type="submit" class="vp-btn vp-btn--small">
            Add to the script
          </button>
        </form>
      )}
    </section>
  );
}
