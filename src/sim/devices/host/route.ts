// The routing decision (fib_lookup via ip_route_output_key / ip_route_input): the longest matching
// prefix among connected routes, static routes and the default gateway; and the table `ip route` lists.

import { nameSome } from '../../trace';
import { inSameSubnet, type Ipv4Address, networkAddress } from '../../wire/ipv4-address';
import { describeInterface, type HostNic, type HostState, isNoArp } from './state';

export interface Route {
  nic: HostNic;
  nextHop: Ipv4Address;
  /** Why this route: for the reader. */
  explanation: string;
}

/** The interface whose subnet holds `ip` (a connected route), if any. */
function onLinkInterface(host: HostState, ip: Ipv4Address): HostNic | undefined {
  return host.nics.find((n) => n.ip !== undefined && n.prefixLength !== undefined && inSameSubnet(ip, n.ip, n.prefixLength));
}

/** A routing table as `ip route` lists it: connected routes, static routes, the default route. */
export interface RouteRow {
  destination: string;
  via?: Ipv4Address;
  dev: string;
  /** "connected", "static" or "default". */
  origin: 'connected' | 'static' | 'default';
}

export function routingTable(host: HostState): RouteRow[] {
  const rows: RouteRow[] = [];
  for (const nic of host.nics) {
    if (nic.ip !== undefined && nic.prefixLength !== undefined) rows.push({ destination: `${networkAddress(nic.ip, nic.prefixLength)}/${nic.prefixLength}`, dev: nic.name, origin: 'connected' });
  }
  const noArp = host.gateway === undefined && !host.forwarding ? host.nics.find(isNoArp) : undefined;
  if (noArp !== undefined) rows.push({ destination: 'default', dev: noArp.name, origin: 'default' });
  const gateways = host.gateway === undefined ? host.routes ?? [] : [...(host.routes ?? []), { network: '0.0.0.0', prefixLength: 0, via: host.gateway }];
  for (const route of gateways) {
    const nic = onLinkInterface(host, route.via);
    const row: RouteRow = { destination: route.prefixLength === 0 ? 'default' : `${route.network}/${route.prefixLength}`, via: route.via, dev: nic?.name ?? '?', origin: route.prefixLength === 0 ? 'default' : 'static' };
    rows.push(row);
  }
  return rows;
}

/** ip_route_output / fib_lookup: the longest matching prefix among connected routes, static routes and the default gateway. */
export function routeTo(host: HostState, destination: Ipv4Address): Route | { error: string } {
  let best: Route | { error: string } | null = null;
  let bestLength = -1;
  for (const nic of host.nics) {
    if (nic.ip !== undefined && nic.prefixLength !== undefined && nic.prefixLength > bestLength && inSameSubnet(destination, nic.ip, nic.prefixLength)) {
      const subnet = `${networkAddress(nic.ip, nic.prefixLength)}/${nic.prefixLength}`;
      const who = host.forwarding ? 'the router' : 'the host';
      best = { nic, nextHop: destination, explanation: `${destination} is inside ${subnet}, the subnet of ${describeInterface(nic)}, so it is on-link: ${who} will deliver it directly` };
      bestLength = nic.prefixLength;
    }
  }
  for (const route of host.routes ?? []) {
    if (route.prefixLength > bestLength && inSameSubnet(destination, route.network, route.prefixLength)) {
      const nic = onLinkInterface(host, route.via);
      const name = route.prefixLength === 0 ? 'the default route' : `the route to ${route.network}/${route.prefixLength}`;
      best = nic
        ? { nic, nextHop: route.via, explanation: `${destination} matches ${name}, so it goes to the next hop ${route.via} (via ${describeInterface(nic)})` }
        : { error: `the next hop ${route.via} of ${name} is not inside any subnet of ${host.id}` };
      bestLength = route.prefixLength;
    }
  }
  if (best) return best;
  // An ipvlan child in L3 mode gets `default dev eth0`: every destination is on-link there (NOARP),
  // and the parent routes it (ipvlan_process_outbound).
  const noArp = host.gateway === undefined && !host.forwarding ? host.nics.find(isNoArp) : undefined;
  if (noArp !== undefined) return { nic: noArp, nextHop: destination, explanation: `${destination} goes by the default route "default dev ${noArp.name}": ${noArp.name} is an ipvlan child in ${noArp.stacked!.mode.toUpperCase()} mode, with no ARP, whose parent routes every packet` };
  if (host.gateway !== undefined) {
    const gateway = host.gateway;
    const nic = onLinkInterface(host, gateway);
    if (nic) {
      return { nic, nextHop: gateway, explanation: `${destination} is outside every subnet of the host, so it goes to the default gateway ${gateway} (via ${describeInterface(nic)})` };
    }
    return { error: `the gateway ${gateway} is not inside any subnet of the host` };
  }
  const mine = host.nics.filter((n) => n.ip !== undefined).map((n) => `${networkAddress(n.ip!, n.prefixLength!)}/${n.prefixLength}`);
  const missing = host.forwarding ? 'no route matches it' : 'there is no default gateway';
  return { error: `${destination} is outside ${mine.length ? nameSome(mine, ' and ') : 'every subnet of the host (it has no IPv4 address)'} and ${missing}` };
}
