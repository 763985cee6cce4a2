import { useEffect, useState } from 'preact/hooks';
import { useSignedIn } from '../account-context';
import { api, type ApiError } from '../api/client';
import type { Account, AccountChange, SendWindow } from '../api/types';
import { ErrorNotice } from '../components/states';
import { asApiError } from '../use-resource';

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const HOURS = Array.from({ length: 25 }, (_, hour) => hour);
const DEFAULT_WINDOW: SendWindow = { days: [1, 2, 3, 4, 5], startHour: 9, endHour: 18 };
const zones = (): string[] => {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return [];
  }
};

/**
 * Saves a change: shown at once (a switch moves when it is flipped), then the account as the API answered it;
 * on a refusal the account as it was, with the API's problem.
 */
function useSave(account: Account, onSaved: () => void) {
  const [current, setCurrent] = useState(account);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => setCurrent(account), [account]);
  const save = async (change: AccountChange, what: string) => {
    const before = current;
    setCurrent({ ...current, ...change });
    setSaving(true);
    setSaved(null);
    setError(null);
    try {
      setCurrent(await api.updateAccount(change));
      setSaved(`Saved: ${what}.`);
      onSaved();
    } catch (failure) {
      setCurrent(before);
      setError(asApiError(failure));
    } finally {
      setSaving(false);
    }
  };
  return { current, saving, saved, error, save };
}

function Flag({
  id,
  label,
  hint,
  checked,
  disabled,
  onToggle,
}: {
  id: string;
  label: string;
  hint: string;
  checked: boolean;
  disabled: boolean;
  onToggle: (on: boolean) => void;
}) {
  return (
    <div class="flag">
      <input
        id={id}
        type="checkbox"
        role="switch"
        checked={checked}
        disabled={disabled}
        aria-describedby={`${id}-hint`}
        onChange={(event) => onToggle(event.currentTarget.checked)}
      />
      <label for={id}>{label}</label>
      <p class="hint" id={`${id}-hint`}>
        {hint}
      </p>
    </div>
  );
}

/** The account's module flags (saved on toggle), its time zone and its default send window. */
export function AccountSettings({ account }: { account: Account }) {
  const { refresh } = useSignedIn();
  const { current, saving, saved, error, save } = useSave(account, refresh);
  const [timeZone, setTimeZone] = useState(account.timeZone);
  const [hasWindow, setHasWindow] = useState(account.sendWindow !== null);
  const [sendWindow, setSendWindow] = useState<SendWindow>(account.sendWindow ?? DEFAULT_WINDOW);

  const toggleDay = (day: number, on: boolean) =>
    setSendWindow({
      ...sendWindow,
      days: on ? [...sendWindow.days, day].sort((a, b) => a - b) : sendWindow.days.filter((d) => d !== day),
    });

  return (
    <div class="card">
      <h2>Account</h2>
      <dl class="facts">
        <dt>Name</dt>
        <dd>{current.name}</dd>
        <dt>Id</dt>
        <dd>
          <code>{current.id}</code>
        </dd>
      </dl>
      <div class="grid two settings-columns">
        <fieldset class="modules">
          <legend>Modules</legend>
          <Flag
            id="flag-automation"
            label="Automation / Flow module"
            hint="Enrollment by automation rules, macros and flow nodes."
            checked={current.automationModuleEnabled}
            disabled={saving}
            onToggle={(on) =>
              void save({ automationModuleEnabled: on }, `Automation / Flow module ${on ? 'on' : 'off'}`)
            }
          />
          <Flag
            id="flag-maestro"
            label="Maestro (AI enrollment)"
            hint="Lets the Maestro decide AI-triggered follow-ups."
            checked={current.maestroEnabled}
            disabled={saving}
            onToggle={(on) => void save({ maestroEnabled: on }, `Maestro ${on ? 'on' : 'off'}`)}
          />
        </fieldset>
        <form
          onSubmit={(event) => {
            event.preventDefault();
            void save(
              { timeZone: timeZone.trim(), sendWindow: hasWindow ? sendWindow : null },
              'time zone and send window',
            );
          }}
        >
          <div class="field">
            <label for="account-zone">Time zone</label>
            <input
              id="account-zone"
              list="time-zones"
              required
              value={timeZone}
              onInput={(event) => setTimeZone(event.currentTarget.value)}
            />
            <datalist id="time-zones">
              {zones().map((zone) => (
                <option key={zone} value={zone} />
              ))}
            </datalist>
            <p class="hint">IANA name (Europe/Paris): daily caps and send windows count in it.</p>
          </div>
          <fieldset>
            <legend>Default send window</legend>
            <div class="flag">
              <input
                id="window-on"
                type="checkbox"
                checked={hasWindow}
                onChange={(event) => setHasWindow(event.currentTarget.checked)}
              />
              <label for="window-on">Send only inside a window (for sequences without their own)</label>
            </div>
            {hasWindow && (
              <>
                <div class="days">
                  {DAYS.map((name, day) => (
                    <label key={name} class="day">
                      <input
                        type="checkbox"
                        checked={sendWindow.days.includes(day)}
                        onChange={(event) => toggleDay(day, event.currentTarget.checked)}
                      />
                      {name.slice(0, 3)}
                    </label>
                  ))}
                </div>
                <div class="field-row">
                  <div class="field">
                    <label for="window-start">From</label>
                    <select
                      id="window-start"
                      value={sendWindow.startHour}
                      onChange={(event) =>
                        setSendWindow({ ...sendWindow, startHour: Number(event.currentTarget.value) })
                      }
                    >
                      {HOURS.slice(0, 24).map((hour) => (
                        <option key={hour} value={hour}>{`${hour}:00`}</option>
                      ))}
                    </select>
                  </div>
                  <div class="field">
                    <label for="window-end">Until</label>
                    <select
                      id="window-end"
                      value={sendWindow.endHour}
                      onChange={(event) =>
                        setSendWindow({ ...sendWindow, endHour: Number(event.currentTarget.value) })
                      }
                    >
                      {HOURS.slice(1).map((hour) => (
                        <option key={hour} value={hour}>{`${hour}:00`}</option>
                      ))}
                    </select>
                  </div>
                </div>
                <p class="hint">A start after the end runs overnight; 0:00 to 24:00 is all day.</p>
              </>
            )}
          </fieldset>
          <button type="submit" class="button" disabled={saving}>
            {saving ? 'Saving…' : 'Save time zone and window'}
          </button>
        </form>
      </div>
      {saved && (
        <p class="notice" role="status">
          {saved}
        </p>
      )}
      {error && <ErrorNotice error={error} />}
    </div>
  );
}
