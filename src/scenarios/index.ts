// Every chapter scenario, validated once: the single definition that chapters, unit tests, e2e
// tests and the CLI share. The data lives in content/scenarios/<chapter>/<name>.json.

import { validateScenario } from '../sim/scenario/validate';
import type { Scenario } from '../sim/scenario/format';
import ageing from '../../content/scenarios/hub-vs-bridge/ageing.json';
import bridgeAgeingZero from '../../content/scenarios/hub-vs-bridge/bridge-ageing-zero.json';
import bridge from '../../content/scenarios/hub-vs-bridge/bridge.json';
import hub from '../../content/scenarios/hub-vs-bridge/hub.json';
import loop from '../../content/scenarios/hub-vs-bridge/loop.json';
import sharedSegment from '../../content/scenarios/hub-vs-bridge/shared-segment.json';
import twoNicsAddressed from '../../content/scenarios/hub-vs-bridge/two-nics-addressed.json';
import twoNicsBridged from '../../content/scenarios/hub-vs-bridge/two-nics-bridged.json';
import twoNics from '../../content/scenarios/hub-vs-bridge/two-nics.json';
import macBasedVlan from '../../content/scenarios/one-vlan-per-subnet/mac-based-vlan.json';
import movedLaptop from '../../content/scenarios/one-vlan-per-subnet/moved-laptop.json';
import oneDomain from '../../content/scenarios/one-vlan-per-subnet/one-domain.json';
import partitioned from '../../content/scenarios/one-vlan-per-subnet/partitioned.json';
import portSecurity from '../../content/scenarios/one-vlan-per-subnet/port-security.json';
import layer3Switch from '../../content/scenarios/one-vlan-per-subnet/layer3-switch.json';
import routerOnAStick from '../../content/scenarios/one-vlan-per-subnet/router-on-a-stick.json';
import trap from '../../content/scenarios/one-vlan-per-subnet/trap.json';
import stretchedVlan from '../../content/scenarios/vlan-vs-vxlan/stretched-vlan.json';
import torFull from '../../content/scenarios/vlan-vs-vxlan/tor-full.json';
import vxlanMtu from '../../content/scenarios/vlan-vs-vxlan/mtu.json';
import vxlanStaticFdb from '../../content/scenarios/vlan-vs-vxlan/static-fdb.json';
import twoVteps from '../../content/scenarios/vlan-vs-vxlan/two-vteps.json';
import mvBridgeNat from '../../content/scenarios/macvlan-ipvlan-bridge/bridge-nat.json';
import mvMacvlanBridge from '../../content/scenarios/macvlan-ipvlan-bridge/macvlan-bridge.json';
import mvMacvlanVepa from '../../content/scenarios/macvlan-ipvlan-bridge/macvlan-vepa.json';
import mvMacvlanVepaHairpin from '../../content/scenarios/macvlan-ipvlan-bridge/macvlan-vepa-hairpin.json';
import mvMacvlanPrivate from '../../content/scenarios/macvlan-ipvlan-bridge/macvlan-private.json';
import mvMacvlanPassthru from '../../content/scenarios/macvlan-ipvlan-bridge/macvlan-passthru.json';
import mvMacvlanHostFix from '../../content/scenarios/macvlan-ipvlan-bridge/macvlan-host-fix.json';
import mvMacvlanOnVlan from '../../content/scenarios/macvlan-ipvlan-bridge/macvlan-on-vlan.json';
import mvNat from '../../content/scenarios/macvlan-ipvlan-bridge/nat.json';
import mvIpvlanL2 from '../../content/scenarios/macvlan-ipvlan-bridge/ipvlan-l2.json';
import mvIpvlanL3 from '../../content/scenarios/macvlan-ipvlan-bridge/ipvlan-l3.json';

const files: Record<string, unknown> = {
  'hub-vs-bridge/hub.json': hub,
  'hub-vs-bridge/bridge.json': bridge,
  'hub-vs-bridge/bridge-ageing-zero.json': bridgeAgeingZero,
  'hub-vs-bridge/shared-segment.json': sharedSegment,
  'hub-vs-bridge/ageing.json': ageing,
  'hub-vs-bridge/two-nics.json': twoNics,
  'hub-vs-bridge/two-nics-addressed.json': twoNicsAddressed,
  'hub-vs-bridge/two-nics-bridged.json': twoNicsBridged,
  'hub-vs-bridge/loop.json': loop,
  'one-vlan-per-subnet/one-domain.json': oneDomain,
  'one-vlan-per-subnet/partitioned.json': partitioned,
  'one-vlan-per-subnet/moved-laptop.json': movedLaptop,
  'one-vlan-per-subnet/mac-based-vlan.json': macBasedVlan,
  'one-vlan-per-subnet/port-security.json': portSecurity,
  'one-vlan-per-subnet/trap.json': trap,
  'one-vlan-per-subnet/router-on-a-stick.json': routerOnAStick,
  'one-vlan-per-subnet/layer3-switch.json': layer3Switch,
  'vlan-vs-vxlan/stretched-vlan.json': stretchedVlan,
  'vlan-vs-vxlan/tor-full.json': torFull,
  'vlan-vs-vxlan/two-vteps.json': twoVteps,
  'vlan-vs-vxlan/static-fdb.json': vxlanStaticFdb,
  'vlan-vs-vxlan/mtu.json': vxlanMtu,
  'macvlan-ipvlan-bridge/bridge-nat.json': mvBridgeNat,
  'macvlan-ipvlan-bridge/macvlan-bridge.json': mvMacvlanBridge,
  'macvlan-ipvlan-bridge/macvlan-vepa.json': mvMacvlanVepa,
  'macvlan-ipvlan-bridge/macvlan-vepa-hairpin.json': mvMacvlanVepaHairpin,
  'macvlan-ipvlan-bridge/macvlan-private.json': mvMacvlanPrivate,
  'macvlan-ipvlan-bridge/macvlan-passthru.json': mvMacvlanPassthru,
  'macvlan-ipvlan-bridge/macvlan-host-fix.json': mvMacvlanHostFix,
  'macvlan-ipvlan-bridge/macvlan-on-vlan.json': mvMacvlanOnVlan,
  'macvlan-ipvlan-bridge/nat.json': mvNat,
  'macvlan-ipvlan-bridge/ipvlan-l2.json': mvIpvlanL2,
  'macvlan-ipvlan-bridge/ipvlan-l3.json': mvIpvlanL3,
};

function load(): Record<string, Scenario> {
  // No prototype: an id from a share link or a saved edit ("constructor") looks up nothing rather than Object's members.
  const byId = Object.create(null) as Record<string, Scenario>;
  for (const [file, data] of Object.entries(files)) {
    const result = validateScenario(data);
    if (!result.ok) {
      const lines = result.errors.map((e) => `  ${e.path}: ${e.message}`).join('\n');
      throw new Error(`content/scenarios/${file} is not a valid scenario:\n${lines}`);
    }
    const expected = file.replace(/\.json$/, '');
    if (result.scenario.id !== expected) throw new Error(`content/scenarios/${file}: its id must be "${expected}", not "${result.scenario.id}"`);
    byId[result.scenario.id] = result.scenario;
  }
  return byId;
}

/** Validated chapter scenarios by id ("hub-vs-bridge/bridge"), which is also their path under content/scenarios. */
export const scenarios: Readonly<Record<string, Scenario>> = load();

export function scenario(id: string): Scenario {
  const found = scenarios[id];
  if (!found) throw new Error(`no scenario "${id}"; known: ${Object.keys(scenarios).join(', ')}`);
  return found;
}
