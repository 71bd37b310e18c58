// "Send packet": the reader adds traffic of their own. The form only builds a TrafficAction;
// the core starts it (Simulation.inject) and tells what happens.

import { useMemo, useState } from 'preact/hooks';
import type { ActionKind, TrafficAction } from '../sim/scenario/format';
import { BigSelect } from './BigSelect';

export interface SendPacketFormProps {
  idPrefix: string;
  hydrated: boolean;
  /** False when the run has halted: nothing more can happen until Reset. */
  enabled: boolean;
  hosts: { id: string; name: string }[];
  onSend: (action: TrafficAction) => void;
}

const KINDS: { value: ActionKind; label: string }[] = [
  { value: 'ping', label: 'ping (ICMP echo)' },
  { value: 'arp', label: 'ARP request' },
  { value: 'raw', label: 'raw Ethernet frame' },
];

export function SendPacketForm({ idPrefix, hydrated, enabled, hosts, onSend }: SendPacketFormProps) {
  const [kind, setKind] = useState<ActionKind>('ping');
  const [from, setFrom] = useState(hosts[0]?.id ?? '');
  const [to, setTo] = useState(hosts[1]?.id ?? hosts[0]?.id ?? '');
  const id = (name: string) => `${idPrefix}-send-${name}`;

  const chooseKind = (value: ActionKind) => {
    setKind(value);
    // Only a raw frame can go to the broadcast address; ping and ARP name a host.
    if (value !== 'raw' && to === 'broadcast') setTo(hosts.find((h) => h.id !== from)?.id ?? hosts[0]?.id ?? '');
  };

  const choices = useMemo(() => hosts.map((h) => ({ value: h.id, text: h.name })), [hosts]);
  const targets = useMemo(() => (kind === 'raw' ? [...choices, { value: 'broadcast', text: 'broadcast (ff:ff:ff:ff:ff:ff)' }] : choices), [choices, kind]);
  if (hosts.length === 0) return null;
  return (
    <form
      class="vp-send"
      onSubmit={(e) => {
        e.preventDefault();
        if (enabled && from && to) onSend({ do: kind, from, to } as TrafficAction);
      }}
    >
      <fieldset disabled={!hydrated}>
        <legend>Send a packet</legend>
        <div class="vp-send-fields">
          <span class="vp-field">
            <label for={id('kind')}>Packet kind</label>
            <select id={id('kind')} value={kind} onChange={(e) => chooseKind((e.currentTarget as HTMLSelectElement).value as ActionKind)}>
              {KINDS.map((k) => (
                <option key={k.value} value={k.value}>
                  {k.label}
                </option>
              ))}
            </select>
          </span>
          <span class="vp-field">
            <label for={id('from')}>Source host</label>
            <BigSelect id={id('from')} value={from} options={choices} onChoose={setFrom} />
          </span>
          <span class="vp-field">
            <label for={id('to')}>Destination</label>
            <BigSelect id={id('to')} value={to} options={targets} onChoose={setTo} />
          </span>
          <button type="submit" class="vp-btn vp-btn--send" aria-disabled={hydrated && !enabled ? 'true' : undefined}>
            Send packet
          </button>
        </div>
      </fieldset>
    </form>
  );
}
