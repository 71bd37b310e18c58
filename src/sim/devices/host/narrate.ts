// The sentences of a namespace's most frequent events, written from the event and its args only
// when a reader reads them: every host on a flooded segment reads every ARP request, and a headless
// run reads no sentence.

import type { Narrators } from '../../narrate';
import { nameSome } from '../../trace';
import { readArpRequestTarget } from '../../wire/arp';
import { readHeaderLength } from '../../wire/ethernet';

export const hostNarrators: Narrators = {
  'arp-request-not-for-me': (e, args, name) => {
    const me = name(e.device);
    // The event holds the request (checked well-formed before it was dropped): its target is read
    // off the bytes, so that one args object serves every request the interface ignores.
    const target = readArpRequestTarget(e.frame!, readHeaderLength(e.frame!));
    const own = args.addresses.length ? `${me} is ${nameSome(args.addresses, ' and ')}` : `${me} has no IPv4 address`;
    const stuck = args.stuck === 'router'
      ? '; a router does not forward broadcasts, so the request goes no further'
      : args.stuck === 'nics'
        ? `; a host does not pass frames from ${e.port} to its other NICs, so the request goes no further`
        : args.stuck === 'bridge' ? `; the bridge ${e.port}, not the stack, carries a broadcast to its other ports, and ${me}'s stack sends the request on nowhere` : '';
    return `${me} reads the ARP request (who has ${target}?) and ignores it: ${own}${stuck}.`;
  },
};
