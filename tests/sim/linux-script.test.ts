// The Linux script generator (src/sim/export/linux-script.ts): bash accepts every chapter scenario's
// script; each kind of device becomes the commands Linux builds it with; what Linux lacks is listed,
// not faked; hostile names and payloads cannot break out of the script. Whether the script really
// builds the experiment is tests/kernel/linux-script.test.ts's, as root.

import { spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scenarios } from '../../src/scenarios/index.ts';
import { linuxScript, shellQuote, validIfname } from '../../src/sim/export/linux-script.ts';
import { host, scenarioOf } from './build.ts';

const dir = mkdtempSync(join(tmpdir(), 'vnet-script-'));

/** bash -n over a script: null when bash accepts it, else its complaint. */
function bashSyntax(text: string, name = 'lab.sh'): string | null {
  const file = join(dir, name);
  writeFileSync(file, text);
  const result = spawnSync('bash', ['-n', file], { encoding: 'utf8' });
  return result.status === 0 ? null : result.stderr;
}

describe('the Linux script of every chapter scenario', () => {
  it('is accepted by bash -n', () => {
    for (const [id, scenario] of Object.entries(scenarios)) {
      expect(bashSyntax(linuxScript(scenario).text, `${id.replace('/', '-')}.sh`), id).toBeNull();
    }
  });

  it('has the four sections, a function per action at its time, and a cleanup that removes every namespace it made', () => {
    for (const [id, scenario] of Object.entries(scenarios)) {
      const script = linuxScript(scenario);
      expect(script.sections.map((s) => s.name), id).toEqual(['build', 'traffic', 'tables', 'cleanup']);
      const made = script.commands.filter((c) => c.startsWith('new_ns ')).map((c) => c.split(' ')[1]);
      const removed = script.commands.filter((c) => c.startsWith('remove_ns ')).map((c) => c.split(' ')[1]);
      expect(removed, id).toEqual(made);
      expect(made, id).toEqual(expect.arrayContaining(scenario.devices.map((d) => `$P-${d.id}`)));
      // The script removes them with one call (one `ip -batch` deletes them all).
      expect(script.text, id).toContain(`  remove_ns ${made.join(' ')}\n`);
      scenario.traffic.forEach((_, i) => expect(script.text, id).toContain(`action_${i + 1}() {`));
    }
  });

  it('runs each namespace\'s ip commands as one `ip -batch` (every command of the build in it, nothing bash would expand but $P)', () => {
    for (const [id, scenario] of Object.entries(scenarios)) {
      const script = linuxScript(scenario);
      const lines = script.text.split('\n');
      const batched: string[] = [];
      for (let i = 0; i < lines.length; i++) {
        const start = /^ {2}ip (?:-n (\S+) )?-batch - <<< "$/.exec(lines[i]!);
        if (!start) continue;
        for (i++; lines[i] !== '  "'; i++) {
          // Inside double quotes: no comment, quote, backslash, command substitution or variable but $P.
          expect(lines[i], id).not.toMatch(/[#"`\\]|\$\(|\$(?!P-)/);
          const command = lines[i]!.trim();
          const veth = /^link add name (\S+) netns (\S+) type veth peer name (\S+) netns (\S+)$/.exec(command);
          batched.push(veth ? `ip -n ${veth[2]} link add name ${veth[1]} type veth peer name ${veth[3]} netns ${veth[4]}` : `ip -n ${start[1]} ${command}`);
        }
      }
      // Every batched line is a command of the build, in the build's order.
      const build = script.commands.filter((c) => batched.includes(c));
      expect(batched, id).toEqual(build);
      expect(batched.length, id).toBeGreaterThan(0);
    }
  });
});

describe('what each device becomes', () => {
  it('a bridge box: a bridge without STP or snooping in its namespace, one veth pair per cable named after its ports, the hosts\' MACs and addresses', () => {
    const { commands } = linuxScript(scenarios['hub-vs-bridge/bridge']!);
    expect(commands).toContain('ip -n $P-br0 link add name br0 type bridge stp_state 0 mcast_snooping 0');
    expect(commands).toContain('ip -n $P-A link add name eth0 type veth peer name p1 netns $P-br0');
    expect(commands).toContain('ip -n $P-A link set dev eth0 address 02:00:00:00:00:0a');
    expect(commands).toContain('ip -n $P-A addr add 10.0.0.10/24 dev eth0');
    expect(commands).toContain('ip -n $P-br0 link set dev p1 master br0');
    expect(commands).toContain('wait_forwarding $P-br0 br0');
    // The traffic: raw frames with their payloads in hex, padded as a NIC on a cable pads them; a ping to C's address.
    expect(commands).toContain("send_raw $P-A eth0 02:00:00:00:00:0b 68656c6c6f2042 pad  # payload 'hello B'");
    expect(commands).toContain('ip netns exec $P-A ping -c 1 -W 2 10.0.0.12');
    expect(commands).toContain('bridge -n $P-br0 fdb show br br0 | grep -v permanent || true');
  });

  it('a hub: a bridge with ageing 0, and a note saying how it differs from a repeater', () => {
    const script = linuxScript(scenarios['hub-vs-bridge/hub']!);
    expect(script.commands).toContain('ip -n $P-hub link add name hub type bridge stp_state 0 mcast_snooping 0 ageing_time 0');
    expect(script.notes.join(' ')).toMatch(/does not repeat frames to 01:80:c2:00:00:0x/);
  });

  it('an ageing time in seconds becomes centiseconds, as ip takes it', () => {
    const scenario = scenarioOf([host('A', 1), { id: 'sw', kind: 'bridge', ports: ['p1'], ageingTime: 15 }], [{ a: 'A:eth0', b: 'sw:p1' }], []);
    expect(linuxScript(scenario).commands).toContain('ip -n $P-sw link add name sw type bridge stp_state 0 mcast_snooping 0 ageing_time 1500');
  });

  it('a switch: vlan_filtering without a default PVID, an access port untagged in its VLAN, a trunk tagged', () => {
    const { commands } = linuxScript(scenarios['one-vlan-per-subnet/router-on-a-stick']!);
    expect(commands).toContain('ip -n $P-sw1 link add name sw1 type bridge stp_state 0 mcast_snooping 0 vlan_filtering 1 vlan_default_pvid 0');
    expect(commands).toContain('bridge -n $P-sw1 vlan add dev p1 vid 10 pvid untagged');
    expect(commands).toContain('bridge -n $P-sw1 vlan add dev p5 vid 10');
    expect(commands).toContain('bridge -n $P-sw1 vlan add dev p5 vid 20');
    // The router on a stick: a sub-interface per VLAN, forwarding on.
    expect(commands).toContain('ip -n $P-R link add link eth0 name eth0.10 type vlan id 10');
    expect(commands).toContain('ip -n $P-R addr add 10.1.20.1/24 dev eth0.20');
    expect(commands).toContain('new_ns $P-R 1');
    expect(commands).toContain('new_ns $P-A 0');
  });

  it('a layer-3 switch: a VLAN-filtering bridge in the router\'s namespace, its port and self entries, sub-interfaces on br0', () => {
    const scenario = scenarios['one-vlan-per-subnet/layer3-switch']!;
    const { commands } = linuxScript(scenario);
    const l3 = scenario.devices.find((d) => d.id === 'L3')!;
    const bridge = l3.kind === 'router' ? l3.bridges![0]! : undefined;
    expect(commands).toContain(`ip -n $P-L3 link add name ${bridge!.name} type bridge stp_state 0 mcast_snooping 0 vlan_filtering 1 vlan_default_pvid 0`);
    expect(commands).toContain(`ip -n $P-L3 link set dev ${bridge!.name} address ${bridge!.mac}`);
    for (const entry of bridge!.bridgeVlans!) {
      const line = `bridge -n $P-L3 vlan add dev ${entry.dev} vid ${entry.vid}${entry.pvid ? ' pvid' : ''}${entry.untagged ? ' untagged' : ''}${entry.dev === bridge!.name ? ' self' : ''}`;
      expect(commands).toContain(line);
    }
    for (const sub of bridge!.vlans!) expect(commands).toContain(`ip -n $P-L3 link add link ${bridge!.name} name ${bridge!.name}.${sub.vlan} type vlan id ${sub.vlan}`);
    // A bridge's port is enslaved before its VLAN entries (bridge vlan needs a port).
    const master = commands.indexOf('ip -n $P-L3 link set dev eth1 master br0');
    expect(master).toBeGreaterThanOrEqual(0);
    expect(commands.findIndex((c) => c.startsWith('bridge -n $P-L3 vlan add dev eth1'))).toBeGreaterThan(master);
  });

  it('a router: its static routes; a host: its default gateway', () => {
    const scenario = scenarioOf(
      [host('A', 1, { gateway: '10.0.0.254' }), { id: 'R', kind: 'router', nics: [{ port: 'eth0', mac: '02:00:00:00:01:00', ip: '10.0.0.254/24' }], routes: [{ to: '10.9.0.0/16', via: '10.0.0.7' }, { to: '0.0.0.0/0', via: '10.0.0.8' }] }],
      [{ a: 'A:eth0', b: 'R:eth0' }],
      [{ from: 'A', do: 'udp', to: 'R', port: 53, sourcePort: 40000, size: 10 }],
    );
    const script = linuxScript(scenario);
    expect(script.commands).toContain('ip -n $P-A route add default via 10.0.0.254');
    expect(script.commands).toContain('ip -n $P-R route add 10.9.0.0/16 via 10.0.0.7');
    expect(script.commands).toContain('ip -n $P-R route add default via 10.0.0.8');
    expect(script.commands).toContain('send_udp $P-A 10.0.0.254 53 40000 10');
    expect(script.text).toContain('python3');
  });

  it('an action that fails says so: `action N` exits with its status, and the traffic section goes on past it', () => {
    const scenario = scenarioOf([host('A', 1), host('B', 2)], [{ a: 'A:eth0', b: 'B:eth0' }], [{ from: 'A', do: 'ping', to: 'B' }, { from: 'A', do: 'arp', to: 'B' }]);
    const script = linuxScript(scenario);
    expect(script.text).toContain('at_ms 0; action_1 || true');
    expect(script.text).toContain('at_ms 1000; action_2 || true');
    // arping as the kernel resolves a neighbour (and the simulator with it): a broadcast request a second, three at most, until a reply.
    expect(script.commands).toContain('ip netns exec $P-A arping -f -c 3 -w 3 -I eth0 10.0.0.2');
    expect(script.commands.filter((c) => /\b(ping|arping) /.test(c)).every((c) => !c.includes('|| true'))).toBe(true);
  });

  it("send_udp fails on an ICMP error about its datagram (here the kernel's own \"port unreachable\" on loopback) and succeeds when none comes", () => {
    const scenario = scenarioOf([host('A', 1), host('B', 2)], [{ a: 'A:eth0', b: 'B:eth0' }], [{ from: 'A', do: 'udp', to: 'B', port: 9 }]);
    const text = linuxScript(scenario).text;
    const program = /send_udp\(\) \{[^]*?python3 -c '([^']*)'/.exec(text)?.[1];
    expect(program).toBeDefined();
    const python = (port: number) => spawnSync('python3', ['-c', program!, '127.0.0.1', String(port), '0', '8', '0.3'], { encoding: 'utf8', timeout: 20_000 });
    const closed = python(9);
    expect(closed.status, closed.stderr).toBe(1);
    expect(closed.stdout).toContain('Connection refused');
    const listener = createSocket('udp4');
    return new Promise<void>((resolve, reject) => {
      listener.bind(0, '127.0.0.1', () => {
        try {
          const open = python(listener.address().port);
          expect(open.status, open.stderr).toBe(0);
          expect(open.stdout).toContain('no ICMP error within 0.3 s');
          resolve();
        } catch (error) {
          reject(error);
        } finally {
          listener.close();
        }
      });
    });
  });
});

describe('what Linux lacks is listed, not faked', () => {
  it('port security: listed, and no command pretends to limit MACs', () => {
    const script = linuxScript(scenarios['one-vlan-per-subnet/port-security']!);
    expect(script.unsupported.join('\n')).toMatch(/port security \(at most 1 MAC address\).*Linux bridge has no per-port limit/);
    expect(script.text).toMatch(/# Not on Linux, so left out/);
    expect(script.commands.join('\n')).not.toMatch(/max|limit/i);
  });

  it('MAC-based VLANs: listed', () => {
    expect(linuxScript(scenarios['one-vlan-per-subnet/mac-based-vlan']!).unsupported.join('\n')).toMatch(/MAC-based VLAN \(02:00:00:00:00:1a → VLAN 10\)/);
  });

  it('a loop of bridges without STP: said, and its traffic runs only with STORM=yes', () => {
    const script = linuxScript(scenarios['hub-vs-bridge/loop']!);
    expect(script.notes.join(' ')).toMatch(/close a loop of bridges without STP/);
    expect(script.text).toContain('if [ "${STORM:-}" != yes ]');
    expect(linuxScript(scenarios['hub-vs-bridge/bridge']!).text).not.toContain('STORM');
  });

  it('an interface name longer than Linux\'s 15 bytes is listed', () => {
    expect(validIfname('eth0')).toBe(true);
    expect(validIfname('abcdefghijklmnop')).toBe(false);
    const scenario = scenarioOf([{ id: 'A', kind: 'host', nics: [{ port: 'abcdefghijklmnop', mac: '02:00:00:00:00:01', ip: '10.0.0.1/24' }] }], [], []);
    const script = linuxScript(scenario);
    expect(script.unsupported).toEqual(['A: interface name "abcdefghijklmnop" is longer than Linux allows (15 bytes); the script cannot create it.']);
    // Unplugged: its veth's other end is in a namespace of its own, down.
    expect(script.commands).toContain('ip -n $P-A link add name abcdefghijklmnop type veth peer name u0 netns $P-unplugged');
  });
});

describe('hostile text stays text', () => {
  it('a title, label or payload with quotes, $( ) and newlines cannot run anything', () => {
    const scenario = scenarioOf(
      [host('A', 1), host('B', 2), { id: 'sw', kind: 'bridge', ports: ['p1', 'p2'] }],
      [{ a: 'A:eth0', b: 'sw:p1' }, { a: 'B:eth0', b: 'sw:p2' }],
      [{ from: 'A', do: 'raw', to: 'B', payload: "x'; touch /tmp/pwned-$$; echo '", label: "it's $(touch /tmp/pwned)\nrm -rf /" }],
    );
    const script = linuxScript(scenario);
    expect(bashSyntax(script.text)).toBeNull();
    expect(script.text).not.toMatch(/\n\s*rm -rf/);
    expect(script.text).toContain(`say ${shellQuote("1. it's $(touch /tmp/pwned) rm -rf /")}`);
    // The payload travels as hex.
    expect(script.commands.find((c) => c.startsWith('send_raw'))).toMatch(/^send_raw \$P-A eth0 02:00:00:00:00:02 [0-9a-f]+ pad  # payload /);
    expect(shellQuote("a'b")).toBe(`'a'\\''b'`);
  });
});

describe('VXLAN, macvlan, ipvlan and NAT (issues 11 and 12)', () => {
  it('a VTEP: the VXLAN device with its VNI, Linux\'s port 8472, local address and underlay, its MAC, the bridge port, the flood list; its FDB in the tables', () => {
    const { commands } = linuxScript(scenarios['vlan-vs-vxlan/two-vteps']!);
    expect(commands).toContain('ip -n $P-vtep1 link add name vxlan0 type vxlan id 42 dstport 8472 local 192.168.1.1 dev eth0');
    expect(commands).toContain('ip -n $P-vtep1 link set dev vxlan0 address 02:00:00:00:0e:01');
    expect(commands).toContain('ip -n $P-vtep1 link set dev vxlan0 master br0');
    expect(commands).toContain('bridge -n $P-vtep1 fdb append 00:00:00:00:00:00 dev vxlan0 dst 192.168.2.1');
    // The device comes after its underlay NIC has its address (the MTU follows `dev` at creation).
    expect(commands.indexOf('ip -n $P-vtep1 link add name vxlan0 type vxlan id 42 dstport 8472 local 192.168.1.1 dev eth0')).toBeGreaterThan(commands.findIndex((c) => c.startsWith('ip -n $P-vtep1 addr add') && c.endsWith('dev eth0')));
    expect(commands).toContain('bridge -n $P-vtep1 fdb show dev vxlan0');
  });

  it('a capped MAC table is fdb_max_learned (Linux 6.8), and a port called "up" is named after dev, not taken for the keyword', () => {
    const { commands } = linuxScript(scenarios['vlan-vs-vxlan/tor-full']!);
    expect(commands).toContain('ip -n $P-tor1 link add name tor1 type bridge stp_state 0 mcast_snooping 0 fdb_max_learned 2');
    expect(commands).toContain('ip -n $P-tor1 link set dev up master tor1');
  });

  it('macvlan children: made on the parent with their MAC and mode, moved into their namespace and renamed, before any route', () => {
    const { commands } = linuxScript(scenarios['macvlan-ipvlan-bridge/macvlan-vepa-hairpin']!);
    const made = commands.indexOf('ip -n $P-server link add link eth0 name vnlc0 address 02:00:00:00:0c:01 type macvlan mode vepa');
    expect(made).toBeGreaterThan(0);
    expect(commands[made + 1]).toBe('ip -n $P-server link set dev vnlc0 netns $P-c1');
    expect(commands[made + 2]).toBe('ip -n $P-c1 link set dev vnlc0 name eth0');
    expect(commands).toContain('bridge -n $P-sw link set dev p1 hairpin on');
    // A switch whose ports are all access ports of VLAN 1 is a plain bridge (this kernel has no vlan_filtering).
    expect(commands.find((c) => c.startsWith('ip -n $P-sw link add name sw '))).not.toContain('vlan_filtering');
    const firstRoute = commands.findIndex((c) => / route add /.test(c));
    if (firstRoute >= 0) expect(firstRoute).toBeGreaterThan(made);
  });

  it('passthru keeps the parent\'s MAC; ipvlan shares it, in its mode', () => {
    expect(linuxScript(scenarios['macvlan-ipvlan-bridge/macvlan-passthru']!).commands).toContain('ip -n $P-server link add link eth0 name vnlc0 type macvlan mode passthru');
    expect(linuxScript(scenarios['macvlan-ipvlan-bridge/ipvlan-l2']!).commands).toContain('ip -n $P-server link add link eth0 name vnlc0 type ipvlan mode l2');
  });

  it('NAT: masquerade in postrouting, the port forward as a DNAT in prerouting, and the rules and connections in the tables', () => {
    const scenario = scenarios['macvlan-ipvlan-bridge/bridge-nat']!;
    const { commands } = linuxScript(scenario);
    expect(commands).toContain("in_ns $P-server nft add chain ip nat postrouting '{ type nat hook postrouting priority srcnat; }'");
    expect(commands).toContain('in_ns $P-server nft add rule ip nat postrouting oifname eth0 ip saddr 10.0.1.0/24 masquerade');
    expect(commands).toContain('in_ns $P-server nft add rule ip nat prerouting iifname eth0 udp dport 8080 dnat to 10.0.1.2:80');
    expect(commands).toContain('in_ns $P-server nft list table ip nat');
  });
});
