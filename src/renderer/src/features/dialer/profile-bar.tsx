/**
 * The dialer's profile bar: choose a saved profile (it fills the form), save the form as a new
 * profile (asks a name inline), update or delete (after a confirmation) the chosen one, and
 * whether the password is kept with it. Storage and validation live in profiles.ts.
 *
 * It sits inside the dialer's <form>: every button is type="button", and Enter / Esc in the name
 * field save / cancel here (Esc must not reach the calls view, where it hangs up a call).
 */
import { useRef, useState, type KeyboardEvent } from 'react';
import { tid } from '../../app/testids.ts';
import { Field } from '../../components/field.tsx';
import {
  PROFILE_NAME_MAX,
  fromProfile,
  loadProfiles,
  profileNameError,
  saveProfiles,
  toProfile,
  type Profile,
  type ProfileFields,
} from './profiles.ts';

interface Props {
  /** The dialer's fields now, or null when some are invalid (the form then shows why). */
  capture: () => ProfileFields | null;
  /** Fill the form from a profile (the target stays). */
  onApply: (fields: ProfileFields) => void;
}

type Mode = 'idle' | 'naming' | 'deleting';
const INVALID = 'fix the fields marked in the form first';

export function ProfileBar({ capture, onApply }: Props) {
  const [loaded] = useState(loadProfiles);
  const [profiles, setProfiles] = useState<Profile[]>(loaded.profiles);
  const [problem, setProblem] = useState(loaded.problem ?? '');
  const [status, setStatus] = useState('');
  const [selected, setSelected] = useState('');
  const [keepPassword, setKeepPassword] = useState(false);
  const [mode, setMode] = useState<Mode>('idle');
  const [name, setName] = useState('');
  const [nameError, setNameError] = useState('');
  const selectRef = useRef<HTMLSelectElement>(null);
  const current = profiles.find((p) => p.name === selected);
  const sorted = [...profiles].sort((a, b) => a.name.localeCompare(b.name));

  const persist = (next: Profile[], done: string) => {
    setProfiles(next);
    if (!loaded.writable) setStatus(`${done} (for this session only: see the message above).`);
    else if (saveProfiles(next)) setStatus(`${done}.`);
    else {
      setStatus('');
      setProblem(
        `${done}, but profiles could not be saved in this browser's storage (full or ` +
          'disabled): the change lasts for this session only.',
      );
    }
  };

  const choose = (value: string) => {
    setSelected(value);
    setMode('idle');
    setStatus('');
    const p = profiles.find((x) => x.name === value);
    if (!p) return;
    onApply(fromProfile(p));
    setKeepPassword(p.password !== undefined);
  };

  const finish = () => {
    setMode('idle');
    setNameError('');
    selectRef.current?.focus();
  };

  const saveNew = () => {
    const err = profileNameError(name, profiles);
    if (err) return setNameError(err);
    const fields = capture();
    if (!fields) return setNameError(INVALID);
    const p = toProfile(name, fields, keepPassword);
    persist([...profiles, p], `Saved profile "${p.name}"`);
    setSelected(p.name);
    finish();
  };

  const update = () => {
    if (!current) return;
    const fields = capture();
    if (!fields) return setStatus(`Not updated: ${INVALID}.`);
    const p = toProfile(current.name, fields, keepPassword);
    persist(
      profiles.map((x) => (x.name === current.name ? p : x)),
      `Updated profile "${p.name}"`,
    );
  };

  const remove = () => {
    if (!current) return;
    persist(
      profiles.filter((x) => x.name !== current.name),
      `Deleted profile "${current.name}"`,
    );
    setSelected('');
    finish();
  };

  const onNameKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      saveNew();
    } else if (e.key === 'Escape') {
      e.preventDefault();
      finish();
    }
  };

  return (
    <fieldset className="profile-bar">
      <legend>Profile (line)</legend>
      <select
        ref={selectRef}
        className="profile-select"
        aria-label="Saved profile"
        data-testid={tid.profileSelect}
        value={selected}
        onChange={(e) => choose(e.target.value)}
      >
        <option value="">No profile</option>
        {sorted.map((p) => (
          <option key={p.name} value={p.name}>
            {p.name}
          </option>
        ))}
      </select>
      <div className="row profile-actions">
        <button
          type="button"
          className="btn small"
          data-testid={tid.profileSaveNew}
          onClick={() => {
            setMode('naming');
            setName('');
            setNameError('');
            setStatus('');
          }}
        >
          Save as new…
        </button>
        <button
          type="button"
          className="btn small"
          data-testid={tid.profileUpdate}
          disabled={!current}
          onClick={update}
        >
          Update
        </button>
        <button
          type="button"
          className="btn small"
          data-testid={tid.profileDelete}
          disabled={!current}
          onClick={() => {
            setMode('deleting');
            setStatus('');
          }}
        >
          Delete…
        </button>
      </div>
      <label className="check">
        <input
          type="checkbox"
          data-testid={tid.profileSavePassword}
          checked={keepPassword}
          onChange={(e) => setKeepPassword(e.target.checked)}
        />
        Save the password with the profile (kept in plain text in this browser&apos;s storage)
      </label>
      {mode === 'naming' && (
        <div className="row profile-name">
          <Field
            label={`New profile name (up to ${PROFILE_NAME_MAX} characters)`}
            error={nameError || undefined}
            errorTestId={tid.profileNameError}
          >
            <input
              data-testid={tid.profileName}
              value={name}
              maxLength={PROFILE_NAME_MAX + 16}
              autoFocus
              autoComplete="off"
              aria-invalid={!!nameError}
              onChange={(e) => setName(e.target.value)}
              onKeyDown={onNameKey}
            />
          </Field>
          <button
            type="button"
            className="btn small good"
            data-testid={tid.profileNameSave}
            onClick={saveNew}
          >
            Save
          </button>
          <button type="button" className="btn small" onClick={finish}>
            Cancel
          </button>
        </div>
      )}
      {mode === 'deleting' && current && (
        <div
          className="banner warn profile-confirm"
          role="group"
          aria-label="Confirm deletion"
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.preventDefault();
              finish();
            }
          }}
        >
          <span>Delete profile &quot;{current.name}&quot;? This cannot be undone.</span>
          <button
            type="button"
            className="btn small bad"
            data-testid={tid.profileDeleteConfirm}
            onClick={remove}
          >
            Delete
          </button>
          <button type="button" className="btn small" autoFocus onClick={finish}>
            Cancel
          </button>
        </div>
      )}
      {problem && (
        <div className="banner warn profile-problem" role="alert">
          <span data-testid={tid.profileProblem}>{problem}</span>
          <button type="button" className="btn small" onClick={() => setProblem('')}>
            Dismiss
          </button>
        </div>
      )}
      {status && (
        <p className="profile-status" role="status" data-testid={tid.profileStatus}>
          {status}
        </p>
      )}
    </fieldset>
  );
}
