/** The ordered codec list: a checkbox per codec, ← → to move it; the checked ones are offered in order. */
import { tid } from '../../app/testids.ts';

export interface CodecItem {
  name: string;
  on: boolean;
}

interface Props {
  items: CodecItem[];
  onChange: (items: CodecItem[]) => void;
  error?: string;
}

export function moveItem<T>(list: T[], from: number, to: number): T[] {
  if (to < 0 || to >= list.length || from === to) return list;
  const next = list.slice();
  const [x] = next.splice(from, 1);
  next.splice(to, 0, x!);
  return next;
}

export function CodecList({ items, onChange, error }: Props) {
  return (
    <fieldset className="codecs" aria-describedby={error ? 'codec-error' : undefined}>
      <legend>Codecs (in order of preference)</legend>
      <ol className="chips">
        {items.map((c, i) => (
          <li key={c.name} className={`chip${c.on ? ' on' : ''}`}>
            <label>
              <input
                type="checkbox"
                checked={c.on}
                data-testid={tid.dialerCodec(c.name)}
                onChange={(e) =>
                  onChange(items.map((x, j) => (j === i ? { ...x, on: e.target.checked } : x)))
                }
              />
              {c.name}
            </label>
            <button
              type="button"
              className="chip-move"
              aria-label={`move ${c.name} earlier`}
              disabled={i === 0}
              onClick={() => onChange(moveItem(items, i, i - 1))}
            >
              ‹
            </button>
            <button
              type="button"
              className="chip-move"
              aria-label={`move ${c.name} later`}
              disabled={i === items.length - 1}
              onClick={() => onChange(moveItem(items, i, i + 1))}
            >
              ›
            </button>
          </li>
        ))}
      </ol>
      {error && (
        <span id="codec-error" className="field-error" data-testid={tid.dialerError('codecs')}>
          {error}
        </span>
      )}
    </fieldset>
  );
}
