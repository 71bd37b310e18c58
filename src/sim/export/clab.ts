// A scenario as a containerlab topology (.clab.yml), for readers who lab with containerlab. Pure.
//
// Every device becomes a `linux` node (a container is a network namespace), without containerlab's
// management network (`network-mode: none`, so that a node's only interfaces are the scenario's and
// eth0 is free for it); every link becomes a containerlab link, which containerlab makes as a veth
// pair named after the two ports, exactly as the Linux script does. Each node's sysctls are the
// script's (forwarding as the kind, no IPv6, the ARP and reverse-path settings the simulator
// models) and its exec lines are the script's commands for that namespace, without `ip -n`: MACs,
// MTUs, addresses, bridges (a hub is a bridge with ageing 0, a switch a VLAN-filtering bridge),
// 802.1Q sub-interfaces and routes. The traffic stays in the Linux script: the topology only builds.
//
// The YAML is written by hand (no dependency): block mappings and sequences, every string a
// double-quoted JSON string (valid YAML), so that no name or command can change the structure.

import { linuxScript, type LinuxScript } from './linux-script';
import type { Scenario } from '../scenario/format';

/** The image every node runs: a Linux toolbox with iproute2, ping, arping and tcpdump. */
export const CLAB_IMAGE = 'nicolaka/netshoot:latest';

export interface ClabTopology {
  name: string;
  /** Node name → its settings. */
  nodes: Record<string, { kind: 'linux'; image: string; 'network-mode': 'none'; sysctls: Record<string, number>; exec: string[] }>;
  links: Array<{ endpoints: [string, string] }>;
}

/** The containerlab lab name: "vnl-" and the scenario id, "/" made "-". */
export function clabName(scenario: Scenario): string {
  return `vnl-${scenario.id.replace(/\//g, '-')}`;
}

const SYSCTLS = (forwarding: boolean): Record<string, number> => {
  const out: Record<string, number> = { 'net.ipv6.conf.all.disable_ipv6': 1, 'net.ipv6.conf.default.disable_ipv6': 1, 'net.ipv4.ip_forward': forwarding ? 1 : 0 };
  for (const dev of ['all', 'default']) for (const key of ['rp_filter', 'arp_ignore', 'arp_accept', 'arp_announce']) out[`net.ipv4.conf.${dev}.${key}`] = 0;
  return out;
};

/** The topology as data (what the YAML says). */
export function clabTopology(scenario: Scenario, script: LinuxScript = linuxScript(scenario)): ClabTopology {
  const nodes: ClabTopology['nodes'] = {};
  const linked = new Set(scenario.links.flatMap((l) => [l.a, l.b]));
  for (const device of scenario.devices) {
    const exec: string[] = [];
    // A NIC without a link: a veth whose peer stays down, as the script's unplugged cable.
    if (device.kind === 'host' || device.kind === 'router') {
      let n = 0;
      for (const nic of device.nics) if (!linked.has(`${device.id}:${nic.port}`)) exec.push(`ip link add name ${nic.port} type veth peer name u${n++}`);
    }
    for (const command of script.perDevice.filter((c) => c.device === device.id)) {
      // Sysctls go in the node's `sysctls`; the UDP listener needs the script's helper, and is the script's.
      if (command.command.startsWith('sysctl ') || command.command.includes('$UDP_LISTEN')) continue;
      // A macvlan or ipvlan child of another node's interface: containerlab cannot move an interface between nodes.
      if (command.crossNamespace) continue;
      exec.push(command.command);
    }
    nodes[device.id] = { kind: 'linux', image: CLAB_IMAGE, 'network-mode': 'none', sysctls: SYSCTLS(device.kind === 'router'), exec };
  }
  return { name: clabName(scenario), nodes, links: scenario.links.map((l) => ({ endpoints: [l.a, l.b] })) };
}

const scalar = (value: string | number): string => (typeof value === 'number' ? String(value) : JSON.stringify(value));

/** The scenario as a .clab.yml file. */
export function toClab(scenario: Scenario): string {
  const script = linuxScript(scenario);
  const topology = clabTopology(scenario, script);
  const comment = (text: string) => `# ${text.replace(/[\u0000-\u001f\u007f]+/g, ' ')}`;
  const out: string[] = [
    comment(scenario.title),
    comment(`The vnet-live experiment "${scenario.id}" as a containerlab topology: sudo containerlab deploy -t ${topology.name}.clab.yml`),
    comment('Each device is a linux node without a management network; links are veth pairs named after their ports.'),
    comment('The traffic and the tables are in the experiment\'s Linux script ("Run it on Linux").'),
  ];
  for (const line of script.unsupported) out.push(comment(`Not on Linux, left out: ${line}`));
  if (script.perDevice.some((c) => c.crossNamespace)) out.push(comment('Left out: macvlan/ipvlan children of another node\'s interface (containerlab cannot move an interface between nodes; the Linux script makes them).'));
  out.push(`name: ${scalar(topology.name)}`, 'topology:', '  nodes:');
  for (const [name, node] of Object.entries(topology.nodes)) {
    out.push(`    ${scalar(name)}:`, `      kind: ${scalar(node.kind)}`, `      image: ${scalar(node.image)}`, `      network-mode: ${scalar(node['network-mode'])}`, '      sysctls:');
    for (const [key, value] of Object.entries(node.sysctls)) out.push(`        ${scalar(key)}: ${scalar(value)}`);
    if (node.exec.length > 0) {
      out.push('      exec:');
      for (const line of node.exec) out.push(`        - ${scalar(line)}`);
    }
  }
  if (topology.links.length > 0) {
    out.push('  links:');
    for (const link of topology.links) out.push(`    - endpoints: [${link.endpoints.map(scalar).join(', ')}]`);
  } else out.push('  links: []');
  return `${out.join('\n')}\n`;
}
