// "Send packet": the reader adds traffic of their own. The form only builds a TrafficAction;
// the core starts it (Simulation.inject) and tells what happens.

import { useMemo, useState } from 'preact/hooks';
import type { ActionKind, TrafficAction } from '../sim/scenario/format';
import { BigSelect } from './BigSelect';
import { destinationError, type SendDefault } from './senders';

/** A device the form can name as a destination, and for which kinds of packet. */
export interface SendTarget {
  id: string;
  name: string;
  /** Has an address of its own: a ping, a UDP datagram or an ARP request can be sent to it. */
  ip: boolean;
  /** A raw frame can be sent to it by name (its first NIC's MAC). */
  raw: boolean;
}

export interface SendPacketFormProps {
  idPrefix: string;
  hydrated: boolean;
  /** False when the run has halted: nothing more can happen until Reset. */
  enabled: boolean;
  /** Devices that can send: hosts and routers, and bridges with their own interface. */
  senders: { id: string; name: string }[];
  targets: SendTarget[];
  /** The packet the form starts with (the script's first, which shows the lesson). */
  initial?: SendDefault | null;
  /** The script's actions that have not started yet: what "only my packet" leaves out. */
  pendingScript?: number;
  /** The run already leaves the script out (Reset brings it back). */
  scriptLeftOut?: boolean;
  onSend: (action: TrafficAction, options: { onlyMine: boolean }) => void;
}

const KINDS: { value: ActionKind; label: string }[] = [
  { value: 'ping', label: 'ping (ICMP echo)' },
  { value: 'udp', label: 'UDP datagram' },
  { value: 'arp', label: 'ARP request' },
  { value: 'raw', label: 'raw Ethernet frame' },
];

const BROADCAST = { value: 'broadcast', text: 'broadcast (ff:ff:ff:ff:ff:ff)' };
/** The destination choice that opens a field for any address (no device id contains a space). */
export const TYPED = 'typed address';

/** What "only my packet" does to the script, in a sentence. */
export function scriptNote(pending: number, leftOut: boolean): string {
  if (pending > 0) {
    const actions = pending === 1 ? 'action that has not started yet is' : `${pending} actions that have not started yet are`;
    return `The script's ${actions} left out, so only your packet plays from here. Reset brings the script back.`;
  }
  if (leftOut) return 'The script is left out of this run. Reset brings it back.';
  return 'The script has no action left to start: your packet plays alone, with whatever is still on the cables.';
}

export function SendPacketForm({ idPrefix, hydrated, enabled, senders, targets, initial, pendingScript = 0, scriptLeftOut = false, onSend }: SendPacketFormProps) {
  const start = initial && senders.some((h) => h.id === initial.from) ? initial : null;
  const [kind, setKind] = useState<ActionKind>(start?.kind ?? 'ping');
  const [from, setFrom] = useState(start?.from ?? senders[0]?.id ?? '');
  // The destination starts as the default's (a device, or an address typed in), else the first
  // other device a ping reaches, and stays while the source changes.
  const startsTyped = start !== null && !targets.some((t) => t.id === start.to);
  const [to, setTo] = useState(() => (start ? (startsTyped ? TYPED : start.to) : (targets.find((t) => t.ip && t.id !== senders[0]?.id)?.id ?? '')));
  const [typed, setTyped] = useState(startsTyped ? start!.to : '');
  const [error, setError] = useState<string | null>(null);
  const [onlyMine, setOnlyMine] = useState(false);
  const [port, setPort] = useState('5000');
  // On a phone the form is folded under one button (player.css), so that the drawing and the log stay close.
  const [unfolded, setUnfolded] = useState(false);
  const id = (name: string) => `${idPrefix}-send-${name}`;

  const choices = useMemo(() => senders.map((h) => ({ value: h.id, text: h.name })), [senders]);
  const options = useMemo(() => {
    const named = targets.filter((t) => (kind === 'raw' ? t.raw : t.ip)).map((t) => ({ value: t.id, text: t.name }));
    // Only a raw frame can go to the broadcast address; the others name a device with an address.
    const typing = { value: TYPED, text: kind === 'raw' ? 'a MAC address you type…' : 'an IPv4 address you type…' };
    return kind === 'raw' ? [...named, BROADCAST, typing] : [...named, typing];
  }, [targets, kind]);
  // The destination follows the kind: one the kind cannot reach becomes the first other device.
  const dst = options.some((o) => o.value === to) ? to : (options.find((o) => o.value !== from)?.value ?? options[0]?.value ?? '');
  if (senders.length === 0) return null;
  return (
    <form
      class={`vp-send${unfolded ? '' : ' vp-send--folded'}`}
      onSubmit={(e) => {
        e.preventDefault();
        if (!enabled || !from || !dst) return;
        let target = dst;
        if (dst === TYPED) {
          // A typed address goes to the core as written (it resolves literal addresses); bad input sends nothing.
          const problem = destinationError(typed, kind);
          setError(problem);
          if (problem) {
            (e.currentTarget as HTMLFormElement).querySelector<HTMLInputElement>(`#${id('address')}`)?.focus();
            return;
          }
          target = typed.trim();
        }
        // The port field's own constraints (1–65535, whole) have been checked by the browser.
        onSend(kind === 'udp' ? { do: 'udp', from, to: target, port: Number(port) } : ({ do: kind, from, to: target } as TrafficAction), { onlyMine });
      }}
    >
      <button type="button" class="vp-btn vp-btn--small vp-send-unfold" aria-expanded={unfolded ? 'true' : 'false'} aria-controls={id('fields')} onClick={() => setUnfolded(!unfolded)}>
        <span aria-hidden="true">{unfolded ? '▾ ' : '▸ '}</span>Send a packet
      </button>
      <fieldset id={id('fields')} disabled={!hydrated}>
        <legend>Send a packet</legend>
        <div class="vp-send-fields">
          <span class="vp-field">
            <label for={id('kind')}>Packet kind</label>
            <select id={id('kind')} value={kind} onChange={(e) => setKind((e.currentTarget as HTMLSelectElement).value as ActionKind)}>
              {KINDS.map((k) => (
                <option key={k.value} value={k.value}>
                  {k.label}
                </option>
              ))}
            </select>
          </span>
          <span class="vp-field">
            <label for={id('from')}>Source</label>
            <BigSelect id={id('from')} value={from} options={choices} onChoose={setFrom} />
          </span>
          <span class="vp-field">
            <label for={id('to')}>Destination</label>
            <BigSelect id={id('to')} value={dst} options={options} onChoose={(value) => { setTo(value); setError(null); }} />
          </span>
          {dst === TYPED && (
            <span class="vp-field vp-send-address">
              <label for={id('address')}>{kind === 'raw' ? 'MAC address' : 'IPv4 address'}</label>
              <input
                id={id('address')}
                type="text"
                class="vp-mono"
                spellcheck={false}
                autocomplete="off"
                size={17}
                placeholder={kind === 'raw' ? '02:00:00:00:00:0b' : '10.0.0.1'}
                value={typed}
                aria-invalid={error ? 'true' : undefined}
                aria-describedby={error ? id('address-error') : undefined}
                onInput={(e) => {
                  setTyped((e.currentTarget as HTMLInputElement).value);
                  setError(null);
                }}
              />
              {error && (
                <span id={id('address-error')} class="vp-send-error" role="alert">
                  {error}
                </span>
              )}
            </span>
          )}
          {kind === 'udp' && (
            <span class="vp-field">
              <label for={id('port')}>UDP port</label>
              <input id={id('port')} type="number" required min={1} max={65535} step={1} size={6} value={port} onInput={(e) => setPort((e.currentTarget as HTMLInputElement).value)} />
            </span>
          )}
          <span class="vp-field">
            <input id={id('only')} type="checkbox" checked={onlyMine} aria-describedby={id('only-note')} onChange={(e) => setOnlyMine((e.currentTarget as HTMLInputElement).checked)} />
            <label for={id('only')}>Only my packet</label>
          </span>
          <button type="submit" class="vp-btn vp-btn--send" aria-disabled={hydrated && !enabled ? 'true' : undefined}>
            Send packet
          </button>
        </div>
        <p id={id('only-note')} class="vp-hint">
          {onlyMine ? scriptNote(pendingScript, scriptLeftOut) : 'Your packet joins the script: both play, interleaved in time. Tick "Only my packet" to leave out the script\'s actions that have not started.'}
        </p>
      </fieldset>
    </form>
  );
}
