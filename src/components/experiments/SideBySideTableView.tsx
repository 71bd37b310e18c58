// Chapter "Side by side": the closing table's markup, rendered on the server only (the chapter
// embeds it without a client directive, so it ships no JavaScript). Every cell is the computed one
// (src/scenarios/side-by-side.ts): its answer, what the run showed, and the sentence of the trace
// behind it, in a button that loads the cell's experiment into the player named `player`
// (ScenarioPlayer's `chooser`, src/widgets/scenario-chooser.ts). tests/chapters/side-by-side.test.ts
// renders this same component and compares it with the computed cells.
import { SIDE_COLUMNS, SIDE_ROWS, sideBySideTable } from '../../scenarios/side-by-side';

export interface SideBySideTableViewProps {
  caption: string;
  /** The chooser name of the player that shows a chosen cell. */
  player: string;
}

export default function SideBySideTableView({ caption, player }: SideBySideTableViewProps) {
  const table = sideBySideTable();
  return (
    <div class="table-scroll side-table" role="region" aria-label={`${caption} (scrolls sideways)`} tabIndex={0}>
      <table class="experiment-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Design</th>
            {SIDE_COLUMNS.map((column) => (
              <th scope="col" data-column={column.id}>
                {column.heading}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {table.map((row, r) => (
            <tr data-row={SIDE_ROWS[r]!.id}>
              <th scope="row">
                <a href={SIDE_ROWS[r]!.chapter}>{SIDE_ROWS[r]!.name}</a>
              </th>
              {row.map((cell) => (
                <td class={`side-cell side-cell--${typeof cell.value === 'string' ? cell.value : typeof cell.value}`} data-cell={`${cell.row}/${cell.column}`}>
                  <button type="button" class="side-play" data-player={player} data-experiment={cell.experiment.id} aria-pressed="false">
                    <strong class="side-answer">{cell.answer}</strong>
                    <span class="side-text">{cell.text}</span>
                    <span class="side-why">
                      <span class="visually-hidden">Why: </span>
                      {cell.why}
                    </span>
                  </button>
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
