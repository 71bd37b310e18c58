// Step, Step back, Play/Pause, Run to the end, Reset and the speed, with where the run is and what comes next.
// Buttons that cannot act say so with aria-disabled rather than disabled: they keep focus, so a
// keyboard user who steps to the end is not thrown back to the top of the page, and before
// hydration Tab still reaches them (focusing one scrolls the player into view, which hydrates it).
// The five run buttons are one Tab stop, a toolbar with a roving tabindex (player-keys.ts's useRovingToolbar):
// Tab reaches the last one focused (Step at first), ← → Home End move between them.

import type { ComponentChildren } from 'preact';
import type { Halt } from '../sim/engine/state';
import { SPEEDS, type NextView } from './player-model';
import { useRovingToolbar } from './player-keys';

export interface ActButtonProps {
  enabled: boolean;
  hydrated: boolean;
  onAct: () => void;
  children: ComponentChildren;
  class?: string;
  title?: string;
  /** 0 for the toolbar's one Tab stop, -1 for its other buttons. */
  tabIndex?: number;
  onFocus?: () => void;
  keyShortcuts?: string;
}

export function ActButton({ enabled, hydrated, onAct, children, class: cls, title, tabIndex, onFocus, keyShortcuts }: ActButtonProps) {
  return (
    <button
      type="button"
      class={`vp-btn${cls ? ` ${cls}` : ''}`}
      aria-disabled={!hydrated || !enabled ? 'true' : undefined}
      aria-keyshortcuts={keyShortcuts}
      title={title}
      tabIndex={tabIndex}
      onFocus={onFocus}
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

/** The toolbar's buttons, in order; Step is the one Tab reaches first. */
const STEP_BACK = 0;
const STEP = 1;
const PLAY = 2;
const RUN_TO_END = 3;
const RESET = 4;

export function Controls(props: ControlsProps) {
  const { hydrated } = props;
  const nextText = props.halted ? 'nothing: the run has stopped. Reset to start again.' : props.next ? props.next.text : 'nothing is queued. Send a packet to go on.';
  // The toolbar's one Tab stop: the button focused last (Step at first).
  const { ref: toolbarRef, onKeyDown: onToolbarKey, rove } = useRovingToolbar(STEP);
  const hintId = `${props.idPrefix}-keys`;
  return (
    <div class="vp-controls">
      <div class="vp-buttons">
        <div class="vp-toolbar" role="toolbar" aria-label="Run controls" aria-describedby={hintId} ref={toolbarRef} onKeyDown={onToolbarKey}>
          <ActButton hydrated={hydrated} enabled={props.canStepBack} onAct={props.onStepBack} keyShortcuts="ArrowLeft" {...rove(STEP_BACK)}>
            <span aria-hidden="true">◀ </span>Step back
          </ActButton>
          <ActButton hydrated={hydrated} enabled={props.canStep} onAct={props.onStep} class="vp-btn--primary" keyShortcuts="ArrowRight" {...rove(STEP)}>
            Step<span aria-hidden="true"> ▶</span>
          </ActButton>
          <ActButton hydrated={hydrated} enabled={props.playing || props.canStep} onAct={props.onTogglePlay} keyShortcuts="Space" {...rove(PLAY)}>
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
            {...rove(RUN_TO_END)}
          >
            <span aria-hidden="true">⇥ </span>Run to the end
          </ActButton>
          <ActButton hydrated={hydrated} enabled={props.canStepBack} onAct={props.onReset} {...rove(RESET)}>
            <span aria-hidden="true">↺ </span>Reset
          </ActButton>
        </div>
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
      <p class="vp-hint vp-keys-hint" id={hintId}>
        Keys: ← → move between these buttons. Elsewhere in the player (click the drawing, or Tab to the log): → steps, ← steps back, Space plays or pauses.
      </p>
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
