// Step, Step back, Play/Pause, Run to the end, Reset and the speed, with where the run is and what comes next.
// Buttons that cannot act say so with aria-disabled rather than disabled: they keep focus, so a
// keyboard user who steps to the end is not thrown back to the top of the page, and before
// hydration Tab still reaches them (focusing one scrolls the player into view, which hydrates it).

import type { ComponentChildren } from 'preact';
import type { Halt } from '../sim/engine/state';
import { SPEEDS, type NextView } from './player-model';

export interface ActButtonProps {
  enabled: boolean;
  hydrated: boolean;
  onAct: () => void;
  children: ComponentChildren;
  class?: string;
  title?: string;
}

export function ActButton({ enabled, hydrated, onAct, children, class: cls, title }: ActButtonProps) {
  return (
    <button
      type="button"
      class={`vp-btn${cls ? ` ${cls}` : ''}`}
      aria-disabled={!hydrated || !enabled ? 'true' : undefined}
      title={title}
      onClick={() => {
        if (hydrated && enabled) onAct();
      }}
    >
      {children}
    </button>
  );
}

export interface ControlsProps {
  idPrefix: string;
  hydrated: boolean;
  step: number;
  time: number;
  next: NextView | null;
  halted: Halt | null;
  canStep: boolean;
  canStepBack: boolean;
  playing: boolean;
  /** Run to the end is under way. */
  fast?: boolean;
  speed: number;
  onStep: () => void;
  onStepBack: () => void;
  onTogglePlay: () => void;
  onRunToEnd?: () => void;
  onReset: () => void;
  onSpeed: (stepsPerSecond: number) => void;
}

function speedLabel(speed: number): string {
  return `${speed} ${speed === 1 ? 'step' : 'steps'}/s`;
}

export function Controls(props: ControlsProps) {
  const { hydrated } = props;
  const nextText = props.halted ? 'nothing: the run has stopped. Reset to start again.' : props.next ? props.next.text : 'nothing is queued. Send a packet to go on.';
  return (
    <div class="vp-controls">
      <div class="vp-buttons" role="group" aria-label="Run controls">
        <ActButton hydrated={hydrated} enabled={props.canStepBack} onAct={props.onStepBack}>
          <span aria-hidden="true">◀ </span>Step back
        </ActButton>
        <ActButton hydrated={hydrated} enabled={props.canStep} onAct={props.onStep} class="vp-btn--primary">
          Step<span aria-hidden="true"> ▶</span>
        </ActButton>
        <ActButton hydrated={hydrated} enabled={props.playing || props.canStep} onAct={props.onTogglePlay}>
          {props.playing ? (
            <>
              <span aria-hidden="true">❚❚ </span>Pause
            </>
          ) : (
            <>
              <span aria-hidden="true">▶▶ </span>Play
            </>
          )}
        </ActButton>
        <ActButton
          hydrated={hydrated}
          enabled={props.canStep && !props.fast && props.onRunToEnd !== undefined}
          onAct={() => props.onRunToEnd?.()}
          title="Every remaining step at once, without animation; Pause stops it"
        >
          <span aria-hidden="true">⇥ </span>Run to the end
        </ActButton>
        <ActButton hydrated={hydrated} enabled={props.canStepBack} onAct={props.onReset}>
          <span aria-hidden="true">↺ </span>Reset
        </ActButton>
        <span class="vp-speed">
          <label for={`${props.idPrefix}-speed`}>Speed</label>
          <select
            id={`${props.idPrefix}-speed`}
            disabled={!hydrated}
            value={String(props.speed)}
            onChange={(e) => props.onSpeed(Number((e.currentTarget as HTMLSelectElement).value))}
          >
            {SPEEDS.map((s) => (
              <option key={s} value={String(s)}>
                {speedLabel(s)}
              </option>
            ))}
          </select>
        </span>
      </div>
      <p class="vp-clock">
        <span class="vp-clock-step">Step {props.step}</span>
        <span class="vp-clock-time">t = {props.time} ms</span>
      </p>
      <p class="vp-next">
        <span class="vp-next-label">Next:</span> {nextText}
      </p>
    </div>
  );
}
