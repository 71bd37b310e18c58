// "Send packet": the reader adds traffic of their own. The form only builds a TrafficAction;
// the core starts it (Simulation.inject) and tells what happens.

import { useMemo, useState } from 'preact/hooks';
import type { ActionKind, TrafficAction } from '../sim/scenario/format';
import { BigSelect } from './BigSelect';

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
  onSend: (action: TrafficAction) => void;
}

const KINDS: { value: ActionKind; label: string }[] = [
  { value: 'ping', label: 'ping (ICMP echo)' },
  { value: 'udp', label: 'UDP datagram' },
  { value: 'arp', label: 'ARP request' },
  { value: 'raw', label: 'raw Ethernet frame' },
];

const BROADCAST = { value: 'broadcast', text: 'broadcast (ff:ff:ff:ff:ff:ff)' };

export function SendPacketForm({ idPrefix, hydrated, enabled, senders, targets, onSend }: SendPacketFormProps) {
  const [kind, setKind] = useState<ActionKind>('ping');
  const [from, setFrom] = useState(senders[0]?.id ?? '');
  // The destination starts as the first other device a ping reaches, and stays while the source changes.
  const [to, setTo] = useState(() => targets.find((t) => t.ip && t.id !== senders[0]?.id)?.id ?? '');
  const [port, setPort] = useState('5000');
  const id = (name: string) => `${idPrefix}-send-${name}`;

  const choices = useMemo(() => senders.map((h) => ({ value: h.id, text: h.name })), [senders]);
  const options = useMemo(() => {
    const named = targets.filter((t) => (kind === 'raw' ? t.raw : t.ip)).map((t) => ({ value: t.id, text: t.name }));
    // Only a raw frame can go to the broadcast address; the others name a device with an address.
    return kind === 'raw' ? [...named, BROADCAST] : named;
  }, [targets, kind]);
  // The destination follows the kind: one the kind cannot reach becomes the first other device.
  const dst = options.some((o) => o.value === to) ? to : (options.find((o) => o.value !== from)?.value ?? options[0]?.value ?? '');
  if (senders.length === 0) return null;
  return (
    <form
      class="vp-send"
      onSubmit={(e) => {
        e.preventDefault();
        if (!enabled || !from || !dst) return;
        // The port field's own constraints (1–65535, whole) have been checked by the browser.
        onSend(kind === 'udp' ? { do: 'udp', from, to: dst, port: Number(port) } : ({ do: kind, from, to: dst } as TrafficAction));
      }}
    >
      <fieldset disabled={!hydrated}>
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
            <BigSelect id={id('to')} value={dst} options={options} onChoose={setTo} />
          </span>
          {kind === 'udp' && (
            <span class="vp-field">
              <label for={id('port')}>UDP port</label>
              <input id={id('port')} type="number" required min={1} max={65535} step={1} size={6} value={port} onInput={(e) => setPort((e.currentTarget as HTMLInputElement).value)} />
            </span>
          )}
          <button type="submit" class="vp-btn vp-btn--send" aria-disabled={hydrated && !enabled ? 'true' : undefined}>
            Send packet
          </button>
        </div>
      </fieldset>
    </form>
  );
}
