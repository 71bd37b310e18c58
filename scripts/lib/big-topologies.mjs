// Generated big topologies, one definition shared by the UI benchmark (scripts/bench-ui.mjs), the
// layout and player tests (tests/render/big-and-odd.ts) and e2e/big-topology.spec.ts. Plain data in
// the scenario format; a caller that needs the core to run one validates it first.

const FORMAT = 'vnet-live/scenario@2';

/** A locally administered MAC address for host number `n`. */
export const mac = (n) => `02:00:00:${[16, 8, 0].map((s) => ((n >> s) & 0xff).toString(16).padStart(2, '0')).join(':')}`;
/** Host number `n` (named `id`), one NIC in 10.0.0.0/16. */
export const host = (n, id = `h${n}`) => ({ id, kind: 'host', nics: [{ port: 'eth0', mac: mac(n), ip: `10.0.${(n >> 8) & 0xff}.${n & 0xff}/16` }] });
/** Port names p0 … p(count−1). */
export const ports = (count) => Array.from({ length: count }, (_, i) => `p${i}`);

/** `hosts` hosts spread over `bridges` bridges joined in a chain; h1 pings the last host (and, with `twoPings`, h2 the one before). */
export function manyHosts(hosts, bridges = 2, twoPings = false) {
  const per = Math.ceil(hosts / bridges);
  const devices = [];
  const links = [];
  for (let b = 0; b < bridges; b++) devices.push({ id: `br${b}`, kind: 'bridge', ports: ports(per + 2) });
  for (let b = 0; b + 1 < bridges; b++) links.push({ a: `br${b}:p${per + 1}`, b: `br${b + 1}:p${per}` });
  for (let h = 0; h < hosts; h++) {
    devices.push(host(h + 1));
    links.push({ a: `h${h + 1}:eth0`, b: `br${Math.floor(h / per)}:p${h % per}` });
  }
  const traffic = [{ from: 'h1', do: 'ping', to: `h${hosts}` }];
  if (twoPings) traffic.push({ at: 5, from: 'h2', do: 'ping', to: `h${hosts - 1}` });
  return { format: FORMAT, id: 'big', title: `${hosts.toLocaleString('en')} hosts on ${bridges} bridges`, devices, links, traffic };
}

/** `hosts` hosts on two bridges joined by two cables (a loop without STP); h1 pings the last host. */
export function bridgeLoop(hosts) {
  const half = Math.ceil(hosts / 2);
  const devices = [
    { id: 'left', kind: 'bridge', ports: ports(half + 2) },
    { id: 'right', kind: 'bridge', ports: ports(hosts - half + 2) },
  ];
  const links = [
    { a: `left:p${half}`, b: `right:p${hosts - half}` },
    { a: `left:p${half + 1}`, b: `right:p${hosts - half + 1}` },
  ];
  for (let h = 0; h < hosts; h++) {
    devices.push(host(h + 1));
    links.push({ a: `h${h + 1}:eth0`, b: h < half ? `left:p${h}` : `right:p${h - half}` });
  }
  return { format: FORMAT, id: 'loop', title: `${hosts} hosts on a bridge loop`, devices, links, traffic: [{ from: 'h1', do: 'ping', to: `h${hosts}` }] };
}

/** `hosts` hosts on one bridge, and `pings` pings between them: a run far longer than a test waits. */
export function busyBridge(hosts, pings) {
  const devices = [{ id: 'br0', kind: 'bridge', ports: ports(hosts) }];
  const links = [];
  for (let h = 0; h < hosts; h++) {
    devices.push(host(h + 1));
    links.push({ a: `h${h + 1}:eth0`, b: `br0:p${h}` });
  }
  const traffic = Array.from({ length: pings }, (_, i) => ({ at: i * 10, from: `h${i + 1}`, do: 'ping', to: `h${hosts - i}` }));
  return { format: FORMAT, id: 'busy', title: `${hosts} hosts, ${pings} pings`, devices, links, traffic };
}
