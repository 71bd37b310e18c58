// The scenario player: the island every chapter embeds.
//
//   import ScenarioPlayer from '../../src/widgets/ScenarioPlayer.tsx';
//   import { scenarios } from '../../src/scenarios/index.ts';
//   <ScenarioPlayer client:visible scenario={scenarios['hub-vs-bridge/bridge']} />
//
// One model per player (player-model.ts); the components below take plain props. The first
// render (on the server) already draws the topology and the empty tables.

import { useEffect, useId, useMemo, useRef, useState } from 'preact/hooks';
import { layoutScenario } from '../render/layout';
import type { Scenario } from '../sim/scenario/format';
import { Controls } from './Controls';
import { EventLog } from './EventLog';
import { FrameDetails } from './FrameDetails';
import { createPlayerModel } from './player-model';
import { SendPacketForm } from './SendPacketForm';
import { Outcomes, Tables } from './Tables';
import { Legend, StepNotes, Topology } from './Topology';
import './player.css';

export interface ScenarioPlayerProps {
  scenario: Scenario;
  /** Shown under the title; the scenario's description when absent. */
  caption?: string;
}

export default function ScenarioPlayer({ scenario, caption }: ScenarioPlayerProps) {
  // useId is unique per island and stable between the server render and hydration.
  const prefix = `vp${useId().replace(/[^A-Za-z0-9_-]/g, '')}`;
  const model = useMemo(() => createPlayerModel(scenario), [scenario]);
  const layout = useMemo(() => layoutScenario(scenario), [scenario]);
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  useEffect(() => () => model.dispose(), [model]);

  const version = model.version.value;
  const speed = model.speed.value;
  const halted = model.halted.value;
  const selected = model.selected.value;
  const flights = model.inFlight.value;
  const marks = model.marks.value;
  const duration = Math.min(600, Math.round((1000 / speed) * 0.8));
  const description = caption ?? scenario.description;
  const titleId = `${prefix}-title`;
  const sectionRef = useRef<HTMLElement>(null);

  // "Hide bytes" removes itself: give focus back to the log line whose bytes were shown.
  const closeBytes = () => {
    const shown = model.selected.peek();
    model.select(null);
    const section = sectionRef.current;
    const line = section?.querySelector<HTMLElement>(`button[data-event="${shown}"]`) ?? section?.querySelector<HTMLElement>('[role="log"]');
    line?.focus();
  };

  return (
    <section ref={sectionRef} class="vp" aria-labelledby={titleId} data-scenario={scenario.id}>
      <header class="vp-head">
        <p class="vp-title" id={titleId}>
          {scenario.title}
        </p>
        {description && <p class="vp-caption">{description}</p>}
      </header>

      {/* Drawing, then controls, then the notes that grow and shrink with each step: the
          buttons never move under the reader's pointer or finger. */}
      <div class="vp-stage">
        <div class="vp-drawing">
          <Topology
            layout={layout}
            title={scenario.title}
            flights={flights}
            marks={marks}
            version={version}
            lastMove={model.lastMove.value}
            duration={duration}
            selected={selected}
            onSelect={model.select}
            name={model.name}
          />
          <Legend />
        </div>
        <Controls
          idPrefix={prefix}
          hydrated={hydrated}
          step={model.step.value}
          time={model.time.value}
          next={model.next.value}
          halted={halted}
          canStep={model.canStep.value}
          canStepBack={model.canStepBack.value}
          playing={model.playing.value}
          speed={speed}
          onStep={model.stepForward}
          onStepBack={model.stepBack}
          onTogglePlay={model.togglePlay}
          onReset={model.reset}
          onSpeed={model.setSpeed}
        />
        <SendPacketForm idPrefix={prefix} hydrated={hydrated} enabled={!halted} hosts={model.hosts} onSend={model.send} />
        <StepNotes flights={flights} marks={marks} selected={selected} hydrated={hydrated} onSelect={model.select} name={model.name} />
      </div>

      {halted && (
        <div class="vp-halt" role="alert">
          <span class="vp-halt-sym" aria-hidden="true">
            ⚠{' '}
          </span>
          <strong>The run stopped at t = {halted.time} ms.</strong> {halted.text}
        </div>
      )}

      <div class="vp-panels">
        <EventLog idPrefix={prefix} groups={model.log.value} selected={selected} onSelect={model.select} quiet={model.playing.value} />
        <div class="vp-state">
          <Outcomes idPrefix={prefix} outcomes={model.outcomes.value} />
          <Tables macTables={model.macTables.value} arpCaches={model.arpCaches.value} routingTables={model.routingTables} />
        </div>
      </div>

      <FrameDetails idPrefix={prefix} detail={model.selectedFrame.value} hydrated={hydrated} onClose={closeBytes} />
    </section>
  );
}
