// The Docker-like host of the shared design (MODEL-V2.md), format 2's first proof, as a scenario for
// tests: node `server` with a router namespace (eth0 up, br0 over veth1 and veth2) and containers
// c1, c2 joined to it by veth pairs, plus a client on the cable. Not a test file: import it freely.

import { SCENARIO_FORMAT, type Scenario } from '../../src/sim/scenario/format';

/** Node `server`: namespace `server` (a router) with eth0 up and br0 over veth1, veth2; containers c1, c2 behind it. */
export function dockerHost(): Scenario {
  return {
    format: SCENARIO_FORMAT,
    id: 'docker-host',
    title: 'A Docker-like host',
    devices: [
      {
        id: 'server',
        kind: 'router',
        node: 'server',
        nics: [
          { port: 'eth0', mac: '02:00:00:00:00:01', ip: '192.168.0.2/24' },
          { port: 'veth1', mac: '02:00:00:00:01:01' },
          { port: 'veth2', mac: '02:00:00:00:01:02' },
        ],
        bridges: [{ name: 'br0', mac: '02:00:00:00:00:b0', ip: '10.0.1.1/24', ports: ['veth1', 'veth2'] }],
      },
      { id: 'c1', kind: 'host', node: 'server', nics: [{ port: 'eth0', mac: '02:00:00:00:0c:01', ip: '10.0.1.2/24' }], gateway: '10.0.1.1' },
      { id: 'c2', kind: 'host', node: 'server', nics: [{ port: 'eth0', mac: '02:00:00:00:0c:02', ip: '10.0.1.3/24' }], gateway: '10.0.1.1' },
      { id: 'client', kind: 'host', nics: [{ port: 'eth0', mac: '02:00:00:00:00:02', ip: '192.168.0.3/24' }], gateway: '192.168.0.2' },
    ],
    links: [
      { a: 'server:veth1', b: 'c1:eth0', type: 'veth' },
      { a: 'server:veth2', b: 'c2:eth0', type: 'veth' },
      { a: 'server:eth0', b: 'client:eth0' },
    ],
    traffic: [{ from: 'c1', do: 'ping', to: 'c2' }],
  };
}
