// The routing decision (fib_lookup via ip_route_output_key / ip_route_input): the longest matching
// prefix among connected routes, static routes and the default gateway; and the table `ip route` lists.

import { nameSome } from '../../trace';
import { inSameSubnet, type Ipv4Address, ipv4ToNumber, networkAddress, prefixMask } from '../../wire/ipv4-address';
import { describeInterface, type HostNic, type HostState, isNoArp, type StaticRoute } from './state';

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
  const noArp = host.gateway === undefined && !host.forwarding ? host.nics.find((n) => isNoArp(n) && n.ip !== undefined) : undefined;
  if (noArp !== undefined) rows.push({ destination: 'default', dev: noArp.name, origin: 'default' });
  const gateways = host.gateway === undefined ? host.routes ?? [] : [...(host.routes ?? []), { network: '0.0.0.0', prefixLength: 0, via: host.gateway }];
  for (const route of gateways) {
    const nic = onLinkInterface(host, route.via);
    const row: RouteRow = { destination: route.prefixLength === 0 ? 'default' : `${route.network}/${route.prefixLength}`, via: route.via, dev: nic?.name ?? '?', origin: route.prefixLength === 0 ? 'default' : 'static' };
    rows.push(row);
  }
  return rows;
}

/**
 * A route found, its explanation written when first read: a router forwarding thousands of packets
 * decides by `nic` and `nextHop`, and only a trace that is read needs the sentence.
 */
class FoundRoute implements Route {
  #explanation: string | undefined = undefined;
  constructor(
    readonly nic: HostNic,
    readonly nextHop: Ipv4Address,
    private readonly destination: Ipv4Address,
    /** The static route taken; undefined: on-link (connected). */
    private readonly via: StaticRoute | undefined,
    private readonly forwarding: boolean,
  ) {}

  get explanation(): string {
    return (this.#explanation ??= this.explain());
  }

  private explain(): string {
    const { nic, destination, via } = this;
    if (via === undefined) {
      const subnet = `${networkAddress(nic.ip!, nic.prefixLength!)}/${nic.prefixLength}`;
      const who = this.forwarding ? 'the router' : 'the host';
      return `${destination} is inside ${subnet}, the subnet of ${describeInterface(nic)}, so it is on-link: ${who} will deliver it directly`;
    }
    return `${destination} matches ${routeName(via)}, so it goes to the next hop ${via.via} (via ${describeInterface(nic)})`;
  }
}

function routeName(route: StaticRoute): string {
  return route.prefixLength === 0 ? 'the default route' : `the route to ${route.network}/${route.prefixLength}`;
}

/**
 * A namespace's connected and static routes as numbers (network, mask), worked out once per
 * interface list and route list: both are configuration, frozen when the namespace is built and
 * shared by every copy of it. A router with a route per rack looked each one up by parsing its
 * address text for every packet it forwarded.
 */
interface RouteNumbers {
  /** The interfaces with an address and prefix, in `nics` order; their networks and masks. */
  nics: HostNic[];
  nicNetworks: number[];
  nicMasks: number[];
  nicPrefixes: number[];
  routes: readonly StaticRoute[];
  routeNetworks: number[];
  routeMasks: number[];
  /**
   * For a long route list (more than FEW_ROUTES): its prefix lengths, longest first, each with its
   * mask and the index of the first route of each network of that length: a lookup tries one
   * network per length instead of every route (a router with a route per rack forwards thousands
   * of packets). Undefined for a short list, which is scanned.
   */
  byLength: Array<{ length: number; mask: number; first: Map<number, number> }> | undefined;
}

const FEW_ROUTES = 8;

const routeNumbers = new WeakMap<readonly HostNic[], { routes: readonly StaticRoute[] | undefined; numbers: RouteNumbers }>();

function numbersOf(host: HostState): RouteNumbers {
  const { nics, routes } = host;
  const known = routeNumbers.get(nics);
  if (known !== undefined && known.routes === routes) return known.numbers;
  const numbers: RouteNumbers = { nics: [], nicNetworks: [], nicMasks: [], nicPrefixes: [], routes: routes ?? [], routeNetworks: [], routeMasks: [], byLength: undefined };
  for (const nic of nics) {
    if (nic.ip === undefined || nic.prefixLength === undefined) continue;
    const mask = prefixMask(nic.prefixLength);
    numbers.nics.push(nic);
    numbers.nicNetworks.push((ipv4ToNumber(nic.ip) & mask) >>> 0);
    numbers.nicMasks.push(mask);
    numbers.nicPrefixes.push(nic.prefixLength);
  }
  for (const route of numbers.routes) {
    const mask = prefixMask(route.prefixLength);
    numbers.routeNetworks.push((ipv4ToNumber(route.network) & mask) >>> 0);
    numbers.routeMasks.push(mask);
  }
  if (numbers.routes.length > FEW_ROUTES) {
    const groups = new Map<number, { length: number; mask: number; first: Map<number, number> }>();
    numbers.routes.forEach((route, i) => {
      let group = groups.get(route.prefixLength);
      if (group === undefined) groups.set(route.prefixLength, (group = { length: route.prefixLength, mask: numbers.routeMasks[i]!, first: new Map() }));
      if (!group.first.has(numbers.routeNetworks[i]!)) group.first.set(numbers.routeNetworks[i]!, i);
    });
    numbers.byLength = [...groups.values()].sort((x, y) => y.length - x.length);
  }
  // Kept only for configuration that cannot change any more (a frozen list; a hand-made test host may not be).
  if (Object.isFrozen(nics) && (routes === undefined || Object.isFrozen(routes))) routeNumbers.set(nics, { routes, numbers });
  return numbers;
}

/** ip_route_output / fib_lookup: the longest matching prefix among connected routes, static routes and the default gateway. */
export function routeTo(host: HostState, destination: Ipv4Address): Route | { error: string } {
  const numbers = numbersOf(host);
  let bestLength = -1;
  let bestNic = -1;
  let bestRoute = -1;
  const { nics, routes } = numbers;
  if (nics.length > 0 || routes.length > 0) {
    const to = ipv4ToNumber(destination);
    for (let i = 0; i < nics.length; i++) {
      const length = numbers.nicPrefixes[i]!;
      if (length > bestLength && ((to & numbers.nicMasks[i]!) >>> 0) === numbers.nicNetworks[i]) {
        bestNic = i;
        bestLength = length;
      }
    }
    const byLength = numbers.byLength;
    if (byLength !== undefined) {
      // The longest prefix first; of one length, at most one network holds the destination, and of
      // its routes the first in the list, as the scan below takes it.
      for (let g = 0; g < byLength.length && byLength[g]!.length > bestLength; g++) {
        const i = byLength[g]!.first.get((to & byLength[g]!.mask) >>> 0);
        if (i !== undefined) {
          bestRoute = i;
          bestLength = byLength[g]!.length;
          break;
        }
      }
    } else {
      for (let i = 0; i < routes.length; i++) {
        const length = routes[i]!.prefixLength;
        if (length > bestLength && ((to & numbers.routeMasks[i]!) >>> 0) === numbers.routeNetworks[i]) {
          bestRoute = i;
          bestLength = length;
        }
      }
    }
  }
  if (bestRoute >= 0) {
    const route = routes[bestRoute]!;
    const nic = onLinkInterface(host, route.via);
    return nic ? new FoundRoute(nic, route.via, destination, route, host.forwarding) : { error: `the next hop ${route.via} of ${routeName(route)} is not inside any subnet of ${host.id}` };
  }
  if (bestNic >= 0) return new FoundRoute(nics[bestNic]!, destination, destination, undefined, host.forwarding);
  // An ipvlan child in L3 mode gets `default dev eth0`: every destination is on-link there (NOARP),
  // and the parent routes it (ipvlan_process_outbound).
  const noArp = host.gateway === undefined && !host.forwarding ? host.nics.find((n) => isNoArp(n) && n.ip !== undefined) : undefined;
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
