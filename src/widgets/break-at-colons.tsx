// A MAC address in a narrow table cell: a line may break after any of its colons
// ("02:00:00:00:" / "01:01") and nowhere else, so that a column on a phone can be as narrow as a
// few bytes without splitting a byte. Where its column has room, it stays on one line.
import { Fragment, type ComponentChildren } from 'preact';

const MAC = /((?:[0-9a-f]{2}:){5}[0-9a-f]{2})/i;

export function breakAtColons(text: string): ComponentChildren {
  if (!MAC.test(text)) return text;
  return text.split(MAC).map((part, i) =>
    i % 2 === 0 ? part : (
      <Fragment key={i}>
        {part.split(':').map((byte, k) => (k === 0 ? byte : <Fragment key={k}>:<wbr />{byte}</Fragment>))}
      </Fragment>
    ),
  );
}
