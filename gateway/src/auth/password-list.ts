import type * as LanguageCommon from '@zxcvbn-ts/language-common';

const SEQUENCES = [
  '0123456789',
  'abcdefghijklmnopqrstuvwxyz',
  'qwertyuiopasdfghjklzxcvbnm',
  'абвгдеёжзийклмнопрстуфхцчшщъыьэюя',
  'йцукенгшщзхъфывапролджэячсмитьбю',
];
const SHORT_UNIT = 3;

let listed: ReadonlySet<string> | undefined;

function listedPasswords(): ReadonlySet<string> {
  if (!listed) {
    // Loaded on first use: the package decompresses ~50,000 entries when it is required.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a static import would load it at start-up
    const { dictionary } = require('@zxcvbn-ts/language-common') as typeof LanguageCommon;
    listed = new Set(dictionary['passwords-common'].map((entry) => entry.normalize('NFKC').toLowerCase()));
  }
  return listed;
}

/** Smallest unit that the string repeats at least twice (a trailing partial copy allowed), if any. */
function repeatedUnit(value: string): string | undefined {
  const chars = [...value];
  for (let period = 1; period * 2 <= chars.length; period++) {
    if (chars.every((char, i) => i < period || char === chars[i - period])) return chars.slice(0, period).join('');
  }
  return undefined;
}

function isRunOf(sequence: string, value: string): boolean {
  const run = sequence.repeat(Math.ceil(value.length / sequence.length) + 1);
  return run.includes(value) || [...run].reverse().join('').includes(value);
}

// Digits, symbols and spaces people put around a listed password to pass length rules ("Password1234567!").
const AFFIXES = /^[\d\p{P}\p{S}\s]+|[\d\p{P}\p{S}\s]+$/gu;
const MIN_CORE = 4;
// Look-alike characters inside a listed password ("p@ssw0rd"); "1" reads as i or l.
const LOOK_ALIKES: Record<string, string>[] = [
  { '@': 'a', '4': 'a', '0': 'o', '1': 'i', '!': 'i', '3': 'e', $: 's', '5': 's', '7': 't', '8': 'b' },
  { '@': 'a', '4': 'a', '0': 'o', '1': 'l', '!': 'l', '3': 'e', $: 's', '5': 's', '7': 't', '8': 'b' },
];

/**
 * Whether a password, already NFKC-normalized and lower-cased, is listed among common/breached passwords
 * or is one of the long shapes that such lists lack — also with digits or symbols around it or look-alikes in it.
 */
export function isCommonPassword(folded: string): boolean {
  if (isCommonShape(folded)) return true;
  const core = folded.replace(AFFIXES, '');
  if (core !== folded && [...core].length >= MIN_CORE && isCommonShape(core)) return true;
  return LOOK_ALIKES.some((map) => {
    const plain = [...folded].map((char) => map[char] ?? char).join('');
    const plainCore = plain.replace(AFFIXES, '');
    return plain !== folded && [...plainCore].length >= MIN_CORE && (isCommonShape(plain) || isCommonShape(plainCore));
  });
}

function isCommonShape(folded: string): boolean {
  const common = listedPasswords();
  const compact = folded.replace(/\s/gu, '');
  if (common.has(folded) || common.has(compact)) return true;
  // The list holds few passwords of 15+ characters, because people reach that length by repeating a short or
  // listed password ("aaaaaaaaaaaaaaa", "monkeymonkeymon") or by running along the alphabet, the digits or a
  // keyboard row ("123456789012345", "abcdefghijklmnop", "qwertyuiopasdfgh").
  const unit = repeatedUnit(compact);
  if (unit !== undefined && ([...unit].length <= SHORT_UNIT || common.has(unit))) return true;
  return SEQUENCES.some((sequence) => isRunOf(sequence, compact));
}
