/** A 12-key (or 16-key with A–D) telephone keypad. */
export const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'];
export const KEYS_ABCD = [...KEYS, 'A', 'B', 'C', 'D'];

interface Props {
  onKey: (digit: string) => void;
  testId: (digit: string) => string;
  keys?: string[];
  disabled?: boolean;
  label: string;
}

export function Keypad({ onKey, testId, keys = KEYS, disabled, label }: Props) {
  return (
    <div className="keypad" role="group" aria-label={label}>
      {keys.map((d) => (
        <button
          key={d}
          type="button"
          className="key"
          data-testid={testId(d)}
          disabled={disabled}
          onClick={() => onKey(d)}
        >
          {d}
        </button>
      ))}
    </div>
  );
}
