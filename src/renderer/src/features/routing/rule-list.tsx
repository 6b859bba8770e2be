/**
 * The inbound rules in the order they are tried: drag a rule by its handle to move it (pointer,
 * or the keyboard: focus the handle, Space, arrows, Space — dnd-kit's sortable preset), or use
 * the Move up / Move down buttons. Selecting a rule opens its form; Delete removes it.
 */
import {
  closestCenter,
  DndContext,
  KeyboardSensor,
  PointerSensor,
  useSensor,
  useSensors,
  type Announcements,
  type DragEndEvent,
} from '@dnd-kit/core';
import { SortableContext, sortableKeyboardCoordinates, useSortable, verticalListSortingStrategy } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import type { RoutingProblemDto } from '../../../../shared/model/routing.ts';
import { problemsAt, text, type Entry } from './routing-doc.ts';

interface Props {
  rules: Entry[];
  selected: number | null;
  problems: readonly RoutingProblemDto[];
  /** The rule the last test hit. */
  matched?: string;
  counts?: Record<string, number>;
  onSelect(i: number): void;
  onMove(from: number, to: number): void;
  onDelete(i: number): void;
}

const idOf = (i: number): string => `rule-${i}`;
const indexOf = (id: string | number): number => Number(String(id).slice('rule-'.length));

/** One condition as the list shows it: `+1415* (E.164)`, `X-Agent-Id: sales`, `UTC mon-fri 09:00-17:00`. */
function conditionText(key: string, v: unknown): string {
  const one = (x: unknown): string => {
    if (typeof x !== 'object' || x === null) return text(x);
    const e = x as Entry;
    if (key === 'header') return e['value'] === undefined ? `${text(e['name'])} present` : `${text(e['name'])}: ${text(e['value'])}`;
    if (key === 'time') return [e['zone'], e['days'], e['hours']].filter((y) => y !== undefined).map(text).join(' ');
    return `${text(e['pattern'])}${e['e164'] === true ? ' (E.164)' : ''}${e['field'] ? ` in ${text(e['field'])}` : ''}`;
  };
  return (Array.isArray(v) ? v : [v]).map(one).join(key === 'header' || key === 'time' ? ' and ' : ' or ');
}

/** A short line for the list: the conditions and the agent. */
export function ruleSummary(r: Entry): string {
  if (r['default'] === true) return `default → ${text(r['agent'])}`;
  const parts: string[] = [];
  for (const k of ['did', 'header', 'from', 'source', 'transport', 'time']) {
    if (r[k] !== undefined) parts.push(`${k} ${conditionText(k, r[k])}`);
  }
  return `${parts.join(' and ') || '(no condition)'} → ${text(r['agent'])}`;
}

function RuleRow(p: { rule: Entry; index: number; props: Props }) {
  const { rule, index, props } = p;
  const { attributes, listeners, setNodeRef, transform, transition, isDragging } = useSortable({ id: idOf(index) });
  const name = text(rule['name']) || `(rule ${index + 1})`;
  const bad = problemsAt(props.problems, `rules[${index}]`).length > 0;
  return (
    <li
      ref={setNodeRef}
      style={{ transform: CSS.Transform.toString(transform), transition }}
      className={`rule-item${props.selected === index ? ' selected' : ''}${isDragging ? ' dragging' : ''}${bad ? ' invalid' : ''}`}
      data-testid="rule-item"
      data-rule={text(rule['name'])}
      data-index={index}
      data-matched={props.matched !== undefined && props.matched === rule['name'] ? 'true' : undefined}
    >
      <button type="button" className="drag-handle" data-testid="rule-drag" aria-label={`Drag rule ${name} to reorder`} {...attributes} {...listeners}>
        ⠿
      </button>
      <button type="button" className="rule-pick" data-testid="rule-edit" aria-pressed={props.selected === index} onClick={() => props.onSelect(index)}>
        <strong>{name}</strong> <span className="rule-summary">{ruleSummary(rule)}</span>
        {props.counts && <span data-testid="rule-item-count"> · {props.counts[text(rule['name'])] ?? 0} call(s)</span>}
        {bad && <span className="bad"> · has problems</span>}
      </button>
      <button type="button" data-testid="rule-up" aria-label={`Move rule ${name} up`} disabled={index === 0} onClick={() => props.onMove(index, index - 1)}>
        ↑
      </button>
      <button type="button" data-testid="rule-down" aria-label={`Move rule ${name} down`} disabled={index === props.rules.length - 1} onClick={() => props.onMove(index, index + 1)}>
        ↓
      </button>
      <button type="button" data-testid="rule-delete" aria-label={`Delete rule ${name}`} onClick={() => props.onDelete(index)}>
        Delete
      </button>
    </li>
  );
}

export function RuleList(props: Props) {
  const sensors = useSensors(
    // A few pixels before a drag starts, so a click on the handle stays a click.
    useSensor(PointerSensor, { activationConstraint: { distance: 4 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );
  const nameAt = (id: string | number): string => text(props.rules[indexOf(id)]?.['name']) || `rule ${indexOf(id) + 1}`;
  const announcements: Announcements = {
    onDragStart: ({ active }) => `Picked up rule ${nameAt(active.id)}, position ${indexOf(active.id) + 1} of ${props.rules.length}.`,
    onDragOver: ({ active, over }) => (over ? `Rule ${nameAt(active.id)} is over position ${indexOf(over.id) + 1}.` : undefined),
    onDragEnd: ({ active, over }) => (over ? `Rule ${nameAt(active.id)} dropped at position ${indexOf(over.id) + 1}.` : `Rule ${nameAt(active.id)} dropped.`),
    onDragCancel: ({ active }) => `Moving rule ${nameAt(active.id)} was cancelled.`,
  };
  const end = (e: DragEndEvent) => {
    if (!e.over || e.active.id === e.over.id) return;
    props.onMove(indexOf(e.active.id), indexOf(e.over.id));
  };
  const ids = props.rules.map((_, i) => idOf(i));
  return (
    <DndContext sensors={sensors} collisionDetection={closestCenter} onDragEnd={end} accessibility={{ announcements }}>
      <SortableContext items={ids} strategy={verticalListSortingStrategy}>
        <ol className="rule-list" data-testid="rule-list" aria-label="Inbound rules, tried in order">
          {props.rules.map((r, i) => (
            <RuleRow key={ids[i]} rule={r} index={i} props={props} />
          ))}
        </ol>
      </SortableContext>
    </DndContext>
  );
}
