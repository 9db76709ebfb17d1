import { luhnCheckDigit } from '../../billing/luhn';
/** mulberry32: tiny, fast and good enough for fixtures; the same seed always yields the same sequence. */
export class Random {
  private state: number;

  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }

  /** An independent stream, so that adding draws to one part of the seed does not shift the others. */
  fork(label: string): Random {
    return new Random((fnv1a(label) ^ Math.imul(this.seed >>> 0, 0x9e3779b1)) >>> 0);
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  weighted<T>(items: readonly (readonly [T, number])[]): T {
    const total = items.reduce((sum, [, weight]) => sum + weight, 0);
    let r = this.next() * total;
    for (const [item, weight] of items) {
      r -= weight;
      if (r < 0) return item;
    }
    return items[items.length - 1][0];
  }

  /** Up to `count` distinct items, in the order drawn. */
  sample<T>(items: readonly T[], count: number): T[] {
    const pool = [...items];
    const result: T[] = [];
    while (result.length < count && pool.length > 0) {
      result.push(pool.splice(Math.floor(this.next() * pool.length), 1)[0]);
    }
    return result;
  }

  digits(count: number): string {
    let s = '';
    for (let i = 0; i < count; i++) s += String(Math.floor(this.next() * 10));
    return s;
  }
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** Keeps the payload and replaces (or appends) the check digit, so that a misprinted number from a manual becomes valid. */
export function withLuhn(value: string, length: number): string {
  const payload = value.slice(0, length - 1);
  return payload + luhnCheckDigit(payload);
}

/** Kcell ICCIDs: 89 (telecom) 997 (Kazakhstan) 02 (Kcell), 12 free digits, Luhn check digit. */
export const ICCID_PREFIX = '8999702';

export function randomIccid(rng: Random, issueDigit: string): string {
  return withLuhn(ICCID_PREFIX + issueDigit + rng.digits(11), 20);
}

const TACS = ['35367807', '35202309', '35720106', '35332811', '35890175', '35407115', '86769804', '35259210', '35691011'];

export function randomImei(rng: Random): string {
  return withLuhn(rng.pick(TACS) + rng.digits(6), 15);
}

/**
 * Kazakhstan BIN check digit: weights 1..11, and if that gives 10, weights 3..11,1,2; a second 10 means the
 * serial cannot be used.
 */
export function binCheckDigit(first11: string): number | null {
  const digits = [...first11].map(Number);
  let sum = digits.reduce((acc, d, i) => acc + d * (i + 1), 0) % 11;
  if (sum === 10) {
    sum = digits.reduce((acc, d, i) => acc + d * (((i + 2) % 11) + 1), 0) % 11;
    if (sum === 10) return null;
  }
  return sum;
}

/** YYMM of registration, 4 = resident legal entity, 0 = head office / 1 = branch, serial, check digit. */
export function randomBin(rng: Random, branch = false): string {
  for (;;) {
    const year = String(rng.int(0, 24)).padStart(2, '0');
    const month = String(rng.int(1, 12)).padStart(2, '0');
    const first11 = `${year}${month}4${branch ? '1' : '0'}${rng.digits(5)}`;
    const check = binCheckDigit(first11);
    if (check !== null) return first11 + String(check);
  }
}

export const KCELL_PREFIXES = ['701', '702', '778'] as const;

export function randomMsisdn(rng: Random, prefixes: readonly string[] = KCELL_PREFIXES): string {
  return `7${rng.pick(prefixes)}${rng.digits(7)}`;
}

export function randomPins(rng: Random): { pin1: string; pin2: string; puk1: string; puk2: string } {
  return {
    pin1: rng.chance(0.8) ? '0000' : rng.digits(4),
    pin2: rng.digits(4),
    puk1: rng.digits(8),
    puk2: rng.digits(8),
  };
}
