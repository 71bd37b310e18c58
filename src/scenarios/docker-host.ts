// The Docker-like host, the namespace model's first proof (MODEL-V2.md): one machine, `server`,
// whose root namespace routes (ip_forward=1) between its uplink eth0 and a bridge br0 10.0.1.1/24;
// two containers, namespaces c1 and c2, each joined to br0 by a veth pair; and a machine outside on
// eth0's cable. The single definition the unit test, the kernel comparison and a chapter share.
//
//   outside 192.168.0.3 ── eth0 192.168.0.2  server (router namespace)  br0 10.0.1.1/24
//                                                                          ├ veth1 ══ eth0 c1 10.0.1.2
//                                                                          └ veth2 ══ eth0 c2 10.0.1.3

import { SCENARIO_FORMAT, type Scenario, type TrafficAction } from '../sim/scenario/format';

export const DOCKER_HOST_MAC = {
  serverEth0: '02:00:00:00:00:01',
  veth1: '02:00:00:00:01:01',
  veth2: '02:00:00:00:01:02',
  br0: '02:00:00:00:00:b0',
  c1: '02:00:00:00:0c:01',
  c2: '02:00:00:00:0c:02',
  outside: '02:00:00:00:00:02',
} as const;

export const DOCKER_HOST_IP = { serverEth0: '192.168.0.2', br0: '10.0.1.1', c1: '10.0.1.2', c2: '10.0.1.3', outside: '192.168.0.3' } as const;

/** c1 pings c2 (bridged by br0), c1 pings the outside machine (routed out of eth0), the outside machine pings c2 (routed into br0). */
export const DOCKER_HOST_TRAFFIC: TrafficAction[] = [
  { from: 'c1', do: 'ping', to: 'c2', at: 0 },
  { from: 'c1', do: 'ping', to: 'outside', at: 1000 },
  { from: 'outside', do: 'ping', to: 'c2', at: 2000 },
];

export function dockerHostScenario(traffic: TrafficAction[] = DOCKER_HOST_TRAFFIC): Scenario {
  const M = DOCKER_HOST_MAC;
  return {
    format: SCENARIO_FORMAT,
    id: 'docker-host',
    title: 'A Docker-like host: two containers behind br0, routed to the outside',
    description: 'server routes between eth0 and br0 (ip_forward=1); c1 and c2 are namespaces on server, each on a veth whose other end is a port of br0; their gateway is br0\'s 10.0.1.1. The outside machine sends 10.0.1.0/24 to server\'s eth0.',
    devices: [
      {
        id: 'server',
        kind: 'router',
        node: 'server',
        nics: [
          { port: 'eth0', mac: M.serverEth0, ip: `${DOCKER_HOST_IP.serverEth0}/24` },
          { port: 'veth1', mac: M.veth1 },
          { port: 'veth2', mac: M.veth2 },
        ],
        bridges: [{ name: 'br0', mac: M.br0, ip: `${DOCKER_HOST_IP.br0}/24`, ports: ['veth1', 'veth2'] }],
      },
      { id: 'c1', kind: 'host', node: 'server', nics: [{ port: 'eth0', mac: M.c1, ip: `${DOCKER_HOST_IP.c1}/24` }], gateway: DOCKER_HOST_IP.br0 },
      { id: 'c2', kind: 'host', node: 'server', nics: [{ port: 'eth0', mac: M.c2, ip: `${DOCKER_HOST_IP.c2}/24` }], gateway: DOCKER_HOST_IP.br0 },
      // A host has one default route, not a route per prefix: its gateway is server's eth0, which is
      // the route `10.0.1.0/24 via 192.168.0.2` for every packet this scenario sends.
      { id: 'outside', kind: 'host', nics: [{ port: 'eth0', mac: M.outside, ip: `${DOCKER_HOST_IP.outside}/24` }], gateway: DOCKER_HOST_IP.serverEth0 },
    ],
    links: [
      { a: 'server:veth1', b: 'c1:eth0', type: 'veth' },
      { a: 'server:veth2', b: 'c2:eth0', type: 'veth' },
      { a: 'server:eth0', b: 'outside:eth0' },
    ],
    traffic,
  };
}

/**
 * The same host with jumbo frames on c1's side only: c1's eth0 and its veth peer veth1 have MTU
 * 9000, veth2 and c2 keep 1500. A big frame from c1 crosses its veth and reaches br0, which cannot
 * send it out of veth2 and does not fragment (it is a bridge, not a router).
 */
export function jumboScenario(traffic: TrafficAction[]): Scenario {
  const scenario = dockerHostScenario(traffic);
  scenario.id = 'docker-host-jumbo';
  for (const device of scenario.devices) {
    if (device.kind !== 'host' && device.kind !== 'router') continue;
    for (const nic of device.nics) if ((device.id === 'c1' && nic.port === 'eth0') || (device.id === 'server' && nic.port === 'veth1')) nic.mtu = 9000;
  }
  return scenario;
}
