// Validation messages in the editor: the validator's own sentences, placed next to the field its
// path names, and the path said in words in the summary.

import { describe, expect, it } from 'vitest';
import { describePath, fieldIssues, issuesAt, parsePath } from '../../src/editor/issues.ts';
import { addDevice, connect, setField } from '../../src/editor/ops.ts';
import { renameDevice } from '../../src/editor/rename.ts';
import { scenarios } from '../../src/scenarios/index.ts';
import { validateScenario } from '../../src/sim/scenario/validate.ts';

const bridge = scenarios['hub-vs-bridge/bridge']!;

function issuesOf(s: typeof bridge) {
  return fieldIssues(validateScenario(s));
}

describe('validation messages next to fields', () => {
  it('an invalid MAC, IP/prefix and gateway each land on their own field', () => {
    let s = setField(bridge, ['devices', 0, 'nics', 0, 'mac'], '02:00:00:00:00');
    s = setField(s, ['devices', 1, 'nics', 0, 'ip'], '10.0.0.11/33');
    s = setField(s, ['devices', 2, 'gateway'], '10.9.9.9');
    const { errors } = issuesOf(s);
    expect(issuesAt(errors, 'devices[0].nics[0].mac')).toEqual(['expected a MAC address like 02:00:00:00:00:0a, got "02:00:00:00:00"']);
    expect(issuesAt(errors, 'devices[1].nics[0].ip')).toEqual(['expected an IPv4 address with prefix length like 10.0.0.1/24, got "10.0.0.11/33"']);
    expect(issuesAt(errors, 'devices[0].nics[0].ip')).toEqual([]);
  });

  it('a duplicate name, a port used twice and a cable to nowhere are errors in words', () => {
    const dup = renameDevice(addDevice(bridge, 'host').scenario, 'E', 'A');
    expect(issuesAt(issuesOf(dup).errors, 'devices[5].id')).toEqual(['duplicate device name "A" (already used by device 1)']);
    const twice = connect(bridge, 'A:eth0', 'br0:p2');
    expect(issuesAt(issuesOf(twice).errors, 'links[4]', true)).toEqual(['port A:eth0 already has a cable (cable 1); a port takes one cable', 'port br0:p2 already has a cable (cable 2); a port takes one cable']);
    const nowhere = connect(bridge, 'A:eth1', 'ghost:p1');
    expect(issuesAt(issuesOf(nowhere).errors, 'links[4].b')).toEqual(['the cable goes to "ghost", which is not a device of this scenario']);
    expect(issuesAt(issuesOf(nowhere).errors, 'links[4].a')).toEqual(['A has no port "eth1" (its ports: eth0)']);
  });

  it('an ageing time that is not a number says what is expected', () => {
    const s = setField(bridge, ['devices', 4, 'ageingTime'], 'soon');
    expect(issuesAt(issuesOf(s).errors, 'devices[4].ageingTime')).toEqual(['expected an ageing time in seconds (a number from 0 to 1,000,000 s)']);
  });

  it('a duplicate IP or MAC is allowed, with a warning that says what will happen', () => {
    const s = setField(setField(bridge, ['devices', 1, 'nics', 0, 'ip'], '10.0.0.10/24'), ['devices', 2, 'nics', 0, 'mac'], '02:00:00:00:00:0a');
    const result = validateScenario(s);
    expect(result.ok).toBe(true);
    const { warnings, errors } = fieldIssues(result);
    expect(errors.size).toBe(0);
    expect(issuesAt(warnings, 'devices[1].nics[0].ip')[0]).toMatch(/^10\.0\.0\.10 is also used by A:eth0: both will answer ARP/);
    expect(issuesAt(warnings, 'devices[2].nics[0].mac')[0]).toMatch(/is also used by A:eth0: bridges will see it move/);
  });

  it('paths are said in words in the summary', () => {
    expect(describePath('devices[0].nics[0].mac', bridge)).toBe('Device A, NIC eth0: MAC address');
    expect(describePath('devices[4].ports[2]', bridge)).toBe('Device br0, port p3, port name');
    expect(describePath('devices[4].ageingTime', bridge)).toBe('Device br0: ageing time');
    expect(describePath('links[1].b', bridge)).toBe('Cable 2 (B:eth0 – br0:p2): second end');
    expect(describePath('devices[0].nics[0].mtu', bridge)).toBe('Device A, NIC eth0: MTU');
    // A UDP action's port is a port number, not a device's port.
    const udp = { ...bridge, traffic: [{ from: 'A', do: 'udp' as const, to: 'B', port: 99999 }] };
    expect(describePath('traffic[0].port', udp)).toBe('Traffic 1 (A udp B): UDP port');
    expect(describePath('traffic[3].to', bridge)).toBe('Traffic 4 (A pings C): destination');
    expect(describePath('(top level)', bridge)).toBe('The experiment');
    // A namespace's bridge device is named by its interface name; a link's type and a node in words.
    const server = { ...bridge, devices: [{ id: 'S', kind: 'router' as const, node: 'srv', nics: [{ port: 'veth1', mac: '02:00:00:00:01:01' }], bridges: [{ name: 'br0', mac: '02:00:00:00:00:b0', ports: ['veth1', 'eth9'] }] }] };
    expect(describePath('devices[0].bridges[0].ports[1]', server)).toBe('Device S, bridge br0: ports #2');
    expect(describePath('devices[0].node', server)).toBe('Device S: node');
    expect(describePath('links[0].type', bridge)).toBe('Cable 1 (A:eth0 – br0:p1): link type');
    expect(parsePath('devices[12].nics[3].ip')).toEqual(['devices', 12, 'nics', 3, 'ip']);
  });
});
