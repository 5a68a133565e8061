import { isFedloginError, usageError } from '../../../core/errors.js';
import { CONTROL_CHARACTER, describeControlCharacter } from '../../../store/iniEdit.js';
import { type Answers, attributeOf, type ConfigureField, type ConfigureFlags } from './fields.js';

/** How configure asks a person (the @inquirer/prompts adapter, or a scripted one in tests). */
export interface Asker {
  input(question: {
    message: string;
    default?: string | undefined;
    validate: (value: string) => true | string;
  }): Promise<string>;
  select(question: {
    message: string;
    choices: readonly string[];
    default?: string | undefined;
    /** a line about each choice, shown under the list for the one selected */
    descriptions?: Readonly<Record<string, string>> | undefined;
  }): Promise<string>;
  confirm(question: { message: string; default: boolean }): Promise<boolean>;
}

export interface CollectInput {
  fields: readonly ConfigureField[];
  flags: ConfigureFlags;
  existing: Readonly<Record<string, string>>;
  /** absent: never ask (--non-interactive, or no terminal) */
  asker?: Asker | undefined;
  /** for the "missing" error: how to run it with that flag */
  commandLine: string;
}

function flagValue(field: ConfigureField, flags: ConfigureFlags): string | undefined {
  if (field.fromFlags) return field.fromFlags(flags);
  const value = flags[attributeOf(field.flag)];
  if (field.kind === 'confirm') return value === true ? 'true' : value === false ? 'false' : undefined;
  return typeof value === 'string' ? value : undefined;
}

/**
 * Every value is checked for what can never be written to ~/.aws/config before its own validator
 * runs, so the message names the flag (the editor refuses the same again, naming the key).
 */
function valid(field: ConfigureField, value: string, origin: string): string {
  if (CONTROL_CHARACTER.test(value)) {
    throw usageError(
      'CONFIGURE_VALUE_CONTROL_CHARACTER',
      `${origin} contains the control character ${describeControlCharacter(value)}; a value in ~/.aws/config must be one line of printable text.`,
      { hint: `Pass ${origin.split(',')[0]!.split(' ')[0]} again without line breaks or other control characters.` },
    );
  }
  if (value.trim() === '') {
    throw usageError('CONFIGURE_VALUE_EMPTY', `${origin} is empty.`, {
      hint: `Give ${origin.split(',')[0]!.split(' ')[0]} a value, or leave it out to keep the profile's.`,
    });
  }
  return field.validate ? field.validate(value, origin) : value.trim();
}

/** The answer as the person would read the validator's complaint (message and hint on one line). */
function complaint(error: unknown): string {
  if (isFedloginError(error)) return error.hint ? `${error.message} ${error.hint}` : error.message;
  throw error;
}

/** What "-" means at an optional prompt: no value (the key goes), when an offered value makes blank unreachable. */
const NONE = '-';

/** The prompt: the field's message, and for an optional input what leaving it empty gives and how. */
function promptOf(field: ConfigureField, answers: Answers, offered: boolean): string {
  const message = field.messageFor?.(answers) ?? field.message;
  const blank = typeof field.blank === 'function' ? field.blank(answers) : field.blank;
  if (blank === undefined) return message;
  // with a value offered, Enter takes it (as at every prompt), so only "-" is said
  return offered ? `${message} ("${NONE}": ${blank})` : `${message} (blank: ${blank})`;
}

async function ask(
  field: ConfigureField,
  asker: Asker,
  answers: Answers,
  fallback: string | undefined,
): Promise<string | undefined> {
  const required = field.required?.(answers) === true;
  const message = promptOf(field, answers, fallback !== undefined && fallback !== '');
  if (field.kind === 'confirm') return String(await asker.confirm({ message, default: fallback === 'true' }));
  if (field.kind === 'select') {
    const choices = field.choices ?? [];
    return asker.select({
      message,
      choices,
      default: fallback !== undefined && choices.includes(fallback) ? fallback : undefined,
      descriptions: field.choiceDescriptions,
    });
  }
  const none = (value: string) => !required && field.blank !== undefined && value.trim() === NONE;
  const typed = await asker.input({
    message,
    default: fallback,
    validate: (value) => {
      if (value.trim() === '') return required ? `${field.message} is required.` : true;
      if (none(value)) return true;
      try {
        valid(field, value, field.flag);
        return true;
      } catch (error) {
        return complaint(error);
      }
    },
  });
  return typed.trim() === '' || none(typed) ? undefined : valid(field, typed, field.flag);
}

/**
 * Decides every field: a flag wins (validated), else the person is asked with the profile's value
 * as the default, else the profile's value stays. A field whose `when` fails is undefined (its key
 * goes). A required field without a value is a usage error naming its flag.
 */
export async function collectAnswers(input: CollectInput): Promise<Answers> {
  const answers: Answers = {};
  for (const field of input.fields) {
    if (field.when && !field.when(answers)) {
      answers[field.key] = undefined;
      continue;
    }
    const fromFlag = flagValue(field, input.flags);
    const existing = field.fromExisting ? field.fromExisting(input.existing) : input.existing[field.key];
    let value: string | undefined;
    if (fromFlag !== undefined) value = valid(field, fromFlag, field.flag);
    else if (input.asker && !field.flagOnly)
      value = await ask(
        field,
        input.asker,
        answers,
        existing ?? field.suggest?.(answers) ?? (field.kind === 'select' ? field.choices?.[0] : undefined),
      );
    else value = existing;
    if (value === undefined && field.required?.(answers)) {
      throw usageError(
        'CONFIGURE_VALUE_MISSING',
        `Missing ${field.flag}: ${field.message.replace(/[?:]$/, '')} (the profile has none, and configure is not asking).`,
        {
          hint: `Run: ${input.commandLine} ${field.flag.split(',')[0]!.split(' ')[0]} VALUE  (or run it in a terminal without --non-interactive to be asked)`,
        },
      );
    }
    answers[field.key] = value;
  }
  return answers;
}

/**
 * The keys to write: each answered field's value, removals for fields that no longer apply and that
 * the profile has, and nothing for virtual fields or values that are unchanged. Pure.
 */
export function profileUpdates(
  fields: readonly ConfigureField[],
  answers: Answers,
  existing: Readonly<Record<string, string>>,
): [string, string | undefined][] {
  const updates: [string, string | undefined][] = [];
  const seen = new Set<string>();
  for (const field of fields) {
    if (field.virtual || seen.has(field.key)) continue;
    const value = answers[field.key];
    // a key shared by several fields (fedlogin_role_arn in cognito) is decided by the one that applies
    if (value === undefined && fields.some((f) => f !== field && f.key === field.key && answers[f.key] !== undefined))
      continue;
    seen.add(field.key);
    if (value === existing[field.key]) continue;
    if (value === undefined && existing[field.key] === undefined) continue;
    updates.push([field.key, value]);
  }
  return updates;
}
