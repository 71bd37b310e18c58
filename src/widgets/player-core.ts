// What the scenario player needs from the simulation core, in one module that the page loads with
// import() on the reader's first Step, Play, Run to the end or Send (core-loader.ts): the core, and
// the player's views of a run (player-run.ts), are most of a chapter's JavaScript, and the
// server-rendered first state needs none of it (the player hydrates from its StartView,
// player-model.ts).

export { DEFAULT_STEP_BUDGET, Simulation } from '../sim/engine/simulation';
export { runViews, withoutPendingScript } from './player-run';

// The drawing's layout: a player hydrates from the drawings the server wrote (layout-data.ts) and
// lays out anew only for a changed scenario, once the core is here.
export { layoutBoxes, layoutScenario } from '../render/layout';
// Frames slide along their cables only after a step: the motion code (d3-timer) comes with the core.
export { animateMarker, finishAnimations } from '../render/animate';

// The timeline's scrubber and filters: nothing to scrub or filter before the first step.
export { StepsUndone, Timeline } from './Timeline';
export { narrowLog } from './log-filter';
