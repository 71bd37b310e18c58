// One labelled form field of the editor, with the validator's errors and warnings for its path
// written under it (and tied to it with aria-describedby). The field keeps what the reader types
// until they commit it (change: Enter or leaving the field), so a re-render of the player while
// they type never throws their text away; a new value from outside (undo, reset) replaces it.

import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { BigSelect } from '../BigSelect';

export interface FieldMessagesProps {
  id: string;
  errors: readonly string[];
  warnings: readonly string[];
}

export function FieldMessages({ id, errors, warnings }: FieldMessagesProps) {
  if (errors.length === 0 && warnings.length === 0) return null;
  return (
    <ul class="ve-msgs" id={id}>
      {errors.map((m, i) => (
        <li key={`e${i}`} class="ve-error">
          <strong>Error:</strong> {m}
        </li>
      ))}
      {warnings.map((m, i) => (
        <li key={`w${i}`} class="ve-warning">
          <strong>Warning:</strong> {m}
        </li>
      ))}
    </ul>
  );
}

export interface FieldProps {
  id: string;
  label: ComponentChildren;
  value: string;
  onCommit: (text: string) => void;
  errors?: readonly string[];
  warnings?: readonly string[];
  /** A short example of what the field takes, shown as a hint (and read with the field). */
  hint?: string;
  inputMode?: 'numeric' | 'decimal' | 'text';
  size?: number;
  class?: string;
}

export function Field({ id, label, value, onCommit, errors = [], warnings = [], hint, inputMode, size, class: cls }: FieldProps) {
  const [text, setText] = useState(value);
  useEffect(() => setText(value), [value]);
  const msgId = `${id}-msg`;
  const hintId = `${id}-hint`;
  const described = [hint ? hintId : '', errors.length || warnings.length ? msgId : ''].filter(Boolean).join(' ');
  return (
    <div class={`ve-field${cls ? ` ${cls}` : ''}${errors.length ? ' ve-field--error' : warnings.length ? ' ve-field--warning' : ''}`}>
      <label for={id}>{label}</label>
      <input
        id={id}
        type="text"
        value={text}
        size={size}
        inputMode={inputMode}
        spellcheck={false}
        autocomplete="off"
        aria-invalid={errors.length ? 'true' : undefined}
        aria-describedby={described || undefined}
        onInput={(e) => setText((e.currentTarget as HTMLInputElement).value)}
        onChange={(e) => onCommit((e.currentTarget as HTMLInputElement).value)}
      />
      {hint && (
        <span class="ve-hint" id={hintId}>
          {hint}
        </span>
      )}
      <FieldMessages id={msgId} errors={errors} warnings={warnings} />
    </div>
  );
}

export interface SelectFieldProps {
  id: string;
  label: ComponentChildren;
  value: string;
  options: readonly { value: string; text: string }[];
  onChange: (value: string) => void;
  errors?: readonly string[];
}

export function SelectField({ id, label, value, options, onChange, errors = [] }: SelectFieldProps) {
  const msgId = `${id}-msg`;
  return (
    <div class={`ve-field${errors.length ? ' ve-field--error' : ''}`}>
      <label for={id}>{label}</label>
      <BigSelect id={id} value={value} options={options} aria-invalid={errors.length ? 'true' : undefined} aria-describedby={errors.length ? msgId : undefined} onChoose={onChange} />
      <FieldMessages id={msgId} errors={errors} warnings={[]} />
    </div>
  );
}
