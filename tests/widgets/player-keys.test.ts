// The player's keyboard scheme (src/widgets/player-keys.ts): which key does what, and where.

import { describe, expect, it } from 'vitest';
import { playerKeyAction, toolbarTarget, type KeyPlace } from '../../src/widgets/player-keys.ts';

describe('playerKeyAction', () => {
  it('steps with →, steps back with ←, plays or pauses with Space, in the player at large', () => {
    expect(playerKeyAction({ key: 'ArrowRight' }, 'other')).toBe('step');
    expect(playerKeyAction({ key: 'ArrowLeft' }, 'other')).toBe('back');
    expect(playerKeyAction({ key: ' ' }, 'other')).toBe('toggle');
    expect(playerKeyAction({ key: 'Spacebar' }, 'other')).toBe('toggle');
  });

  it('leaves other keys alone', () => {
    for (const key of ['ArrowUp', 'ArrowDown', 'Home', 'End', 'Enter', 'Tab', 'Escape', 'a']) expect(playerKeyAction({ key }, 'other')).toBeNull();
  });

  it('leaves a key with a modifier to the browser (Alt+← goes back a page, Shift+Space scrolls up)', () => {
    for (const modifier of ['altKey', 'ctrlKey', 'metaKey', 'shiftKey'] as const) {
      expect(playerKeyAction({ key: 'ArrowLeft', [modifier]: true }, 'other')).toBeNull();
      expect(playerKeyAction({ key: ' ', [modifier]: true }, 'other')).toBeNull();
    }
  });

  it('gives no key to the player in a field, in the editor or on the run-controls toolbar (arrows move between its buttons there)', () => {
    for (const place of ['field', 'editor', 'toolbar'] as KeyPlace[]) {
      for (const key of ['ArrowRight', 'ArrowLeft', ' ']) expect(playerKeyAction({ key }, place)).toBeNull();
    }
  });

  it('on another button, arrows step but Space presses the button', () => {
    expect(playerKeyAction({ key: 'ArrowRight' }, 'button')).toBe('step');
    expect(playerKeyAction({ key: 'ArrowLeft' }, 'button')).toBe('back');
    expect(playerKeyAction({ key: ' ' }, 'button')).toBeNull();
  });

  it('in a box that scrolls sideways, arrows scroll it and Space plays', () => {
    expect(playerKeyAction({ key: 'ArrowRight' }, 'sideways')).toBeNull();
    expect(playerKeyAction({ key: 'ArrowLeft' }, 'sideways')).toBeNull();
    expect(playerKeyAction({ key: ' ' }, 'sideways')).toBe('toggle');
  });
});

describe('toolbarTarget', () => {
  it('moves to the next and the previous button, wrapping round', () => {
    expect(toolbarTarget({ key: 'ArrowRight' }, 1, 5)).toBe(2);
    expect(toolbarTarget({ key: 'ArrowRight' }, 4, 5)).toBe(0);
    expect(toolbarTarget({ key: 'ArrowLeft' }, 1, 5)).toBe(0);
    expect(toolbarTarget({ key: 'ArrowLeft' }, 0, 5)).toBe(4);
  });

  it('goes to the first with Home and the last with End', () => {
    expect(toolbarTarget({ key: 'Home' }, 3, 5)).toBe(0);
    expect(toolbarTarget({ key: 'End' }, 0, 5)).toBe(4);
  });

  it('ignores other keys, modified keys and an empty toolbar', () => {
    for (const key of ['ArrowUp', 'ArrowDown', ' ', 'Enter', 'Tab']) expect(toolbarTarget({ key }, 2, 5)).toBeNull();
    expect(toolbarTarget({ key: 'ArrowRight', shiftKey: true }, 2, 5)).toBeNull();
    expect(toolbarTarget({ key: 'ArrowRight' }, 0, 0)).toBeNull();
  });
});
