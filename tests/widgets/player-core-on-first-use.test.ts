// The player without the core (issue 10): it starts from the StartView the server wrote, shows
// exactly what a player with the core shows, loads the core on the first Step, Play or Send, and
// does everything pressed meanwhile, in order, once it has arrived. A failed load says so, and the
// next press tries again.

import { describe, expect, it } from 'vitest';
import { scenarios } from '../../src/scenarios/index.ts';
import type { PlayerCore } from '../../src/widgets/core-loader.ts';
import * as playerCore from '../../src/widgets/player-core.ts';
import { createPlayerModel, type PlayerModel, type StartView } from '../../src/widgets/player-model.ts';

const core: PlayerCore = playerCore;

/** A core that arrives when the test says so (or fails to). */
function deferredCore() {
  const calls: { resolve: (c: PlayerCore) => void; reject: (e: Error) => void }[] = [];
  const loadCore = () => new Promise<PlayerCore>((resolve, reject) => calls.push({ resolve, reject }));
  return { loadCore, calls };
}

/** Lets the promise callbacks run. */
const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** Everything a reader sees of a model, as plain data. */
function shown(model: PlayerModel) {
  return {
    step: model.step.value,
    time: model.time.value,
    log: model.log.value,
    inFlight: model.inFlight.value,
    marks: model.marks.value,
    macTables: model.macTables.value,
    arpCaches: model.arpCaches.value,
    routingTables: model.routingTables,
    outcomes: model.outcomes.value,
    next: model.next.value,
    canStep: model.canStep.value,
    canStepBack: model.canStepBack.value,
    halted: model.halted.value,
    pendingScript: model.pendingScript.value,
    senders: model.senders,
    targets: model.targets,
    sendDefault: model.sendDefault,
  };
}

/** The StartView as the page carries it: through JSON. */
const startOf = (id: string): StartView => JSON.parse(JSON.stringify(createPlayerModel(scenarios[id]!, { core }).startView())) as StartView;

describe('player model before the core arrives', () => {
  it.each(Object.keys(scenarios))('%s: its StartView shows what the core shows before any step', (id) => {
    const withCore = createPlayerModel(scenarios[id]!, { core });
    const fromStart = createPlayerModel(scenarios[id]!, { core: null, start: startOf(id), loadCore: deferredCore().loadCore });
    expect(fromStart.ready.value).toBe(false);
    expect(shown(fromStart)).toEqual(shown(withCore));
    expect(() => fromStart.sim).toThrow(/before the core arrives/);
  });

  it('loads the core on the first Step only, shows it is waiting, and then does every press in order', async () => {
    const id = 'hub-vs-bridge/bridge';
    const { loadCore, calls } = deferredCore();
    const model = createPlayerModel(scenarios[id]!, { core: null, start: startOf(id), loadCore });
    // Nothing to undo or stop at the first state: no load for these.
    model.stepBack();
    model.reset();
    model.pause();
    model.setSpeed(4);
    model.select(0);
    expect(calls).toHaveLength(0);
    expect(model.waiting.value).toBe(false);

    model.stepForward();
    model.stepForward();
    model.stepBack();
    model.stepForward();
    model.stepForward();
    expect(calls).toHaveLength(1);
    expect(model.waiting.value).toBe(true);
    expect(model.step.value).toBe(0);

    calls[0]!.resolve(core);
    await settle();
    expect(model.waiting.value).toBe(false);
    expect(model.ready.value).toBe(true);
    // Forward, forward, back, forward, forward: step 3, exactly as with the core from the start.
    const withCore = createPlayerModel(scenarios[id]!, { core });
    for (let i = 0; i < 3; i++) withCore.stepForward();
    expect(shown(model)).toEqual(shown(withCore));
    expect(model.speed.value).toBe(4);
  });

  it('sends the reader\'s packet ("only my packet" too) once the core is here', async () => {
    const id = 'hub-vs-bridge/bridge';
    const { loadCore, calls } = deferredCore();
    const model = createPlayerModel(scenarios[id]!, { core: null, start: startOf(id), loadCore });
    model.send({ at: 0, from: 'C', do: 'ping', to: 'D' }, { onlyMine: true });
    calls[0]!.resolve(core);
    await settle();
    expect(model.scriptLeftOut.value).toBe(true);
    expect(model.outcomes.value.map((o) => o.label)).toEqual(['C pings D']);
    expect(model.step.value).toBe(1);
  });

  it('says so when the core cannot be loaded, forgets the presses, and tries again on the next one', async () => {
    const id = 'hub-vs-bridge/hub';
    const { loadCore, calls } = deferredCore();
    const model = createPlayerModel(scenarios[id]!, { core: null, start: startOf(id), loadCore });
    model.togglePlay();
    calls[0]!.reject(new Error('offline'));
    await settle();
    expect(model.failed.value).toBe(true);
    expect(model.waiting.value).toBe(false);
    expect(model.playing.value).toBe(false);

    model.stepForward();
    expect(calls).toHaveLength(2);
    expect(model.failed.value).toBe(false);
    calls[1]!.resolve(core);
    await settle();
    expect(model.step.value).toBe(1);
    expect(model.playing.value).toBe(false);
  });

  it('drops what waited when the player is disposed before the core arrives', async () => {
    const id = 'hub-vs-bridge/hub';
    const { loadCore, calls } = deferredCore();
    const model = createPlayerModel(scenarios[id]!, { core: null, start: startOf(id), loadCore });
    model.stepForward();
    model.dispose();
    calls[0]!.resolve(core);
    await settle();
    expect(model.ready.value).toBe(false);
    expect(model.step.value).toBe(0);
  });
});
