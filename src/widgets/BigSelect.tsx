// A <select> that stays cheap with thousands of choices (the hosts of a big topology): until it
// is focused or pressed it holds only its chosen option, so a re-render of the player on every
// step does not rebuild thousands of <option>s; focus, a press or a key fills it in before the
// browser opens it. With up to FILL_FROM choices it is an ordinary select.

import type { JSX, Ref } from 'preact';
import { useState } from 'preact/hooks';

/** Above this many options, the list is filled only while the select has focus. */
export const FILL_FROM = 100;

export interface Choice {
  value: string;
  text: string;
}

export type BigSelectProps = Omit<JSX.HTMLAttributes<HTMLSelectElement>, 'value' | 'onChange' | 'ref'> & {
  /** The <select> element (a function component is not handed `ref`). */
  selectRef?: Ref<HTMLSelectElement>;
  value: string;
  options: readonly Choice[];
  onChoose: (value: string) => void;
};

export function BigSelect({ value, options, onChoose, selectRef, ...rest }: BigSelectProps) {
  const [filled, setFilled] = useState(false);
  const fill = () => {
    if (!filled) setFilled(true);
  };
  const shown = filled || options.length <= FILL_FROM ? options : options.filter((o) => o.value === value);
  return (
    <select
      {...rest}
      ref={selectRef}
      value={value}
      onFocus={fill}
      onMouseDown={fill}
      onKeyDown={fill}
      onBlur={() => setFilled(false)}
      onChange={(e) => onChoose((e.currentTarget as HTMLSelectElement).value)}
    >
      {shown.map((o) => (
        <option key={o.value} value={o.value}>
          {o.text}
        </option>
      ))}
    </select>
  );
}
