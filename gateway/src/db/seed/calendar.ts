export const OPERATOR_TIME_ZONE = 'Asia/Almaty';

const DAY_MS = 86_400_000;

const partsFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: OPERATOR_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function localParts(date: Date): LocalParts {
  const parts: Record<string, number> = {};
  for (const part of partsFormat.formatToParts(date)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year,
    month: parts.month,
    day: parts.day,
    hour: parts.hour,
    minute: parts.minute,
    second: parts.second,
  };
}

function zoneOffsetMs(date: Date): number {
  const p = localParts(date);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(date.getTime() / 1000) * 1000;
}

/** A wall-clock time in Almaty ('YYYY-MM-DD HH:MM[:SS]'), with the offset that applied on that date (+06 before 2024). */
export function almatyTime(local: string): Date {
  const match = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})(?::(\d{2}))?$/.exec(local);
  if (!match) throw new Error(`Bad local time: ${local}`);
  const [, y, mo, d, h, mi, s] = match;
  const asUtc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0));
  const guess = asUtc - zoneOffsetMs(new Date(asUtc));
  return new Date(asUtc - zoneOffsetMs(new Date(guess)));
}

function isoDate(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Dates relative to `now`, on the operator's calendar. */
export class Clock {
  private readonly offsetMs: number;
  private readonly todayStartMs: number;

  constructor(readonly now: Date) {
    // Kazakhstan has had no DST since 2005, so one offset serves the whole seeding window.
    this.offsetMs = zoneOffsetMs(now);
    this.todayStartMs = Math.floor((now.getTime() + this.offsetMs) / DAY_MS) * DAY_MS - this.offsetMs;
  }

  ago(ms: number): Date {
    return new Date(this.now.getTime() - ms);
  }

  /** The local day `days` before today, `secondsIntoDay` after its midnight; never later than now. */
  day(days: number, secondsIntoDay = 0): Date {
    const t = this.todayStartMs - days * DAY_MS + secondsIntoDay * 1000;
    return new Date(Math.min(t, this.now.getTime() - 1000));
  }

  /** 'HH:MM:SS' on the local day `days` before today. */
  dayAt(days: number, time: string): Date {
    const [h, m, s] = time.split(':').map(Number);
    return this.day(days, h * 3600 + m * 60 + (s || 0));
  }

  get currentMonthStart(): string {
    const p = localParts(this.now);
    return isoDate(p.year, p.month, 1);
  }

  get nextMonthStart(): string {
    const p = localParts(this.now);
    return p.month === 12 ? isoDate(p.year + 1, 1, 1) : isoDate(p.year, p.month + 1, 1);
  }

  /** Local midnights of the first days of months that fall within the last `days` days, oldest first. */
  monthStartsWithin(days: number): Date[] {
    const p = localParts(this.now);
    const since = this.now.getTime() - days * DAY_MS;
    const result: Date[] = [];
    let year = p.year;
    let month = p.month;
    for (;;) {
      const start = new Date(Date.UTC(year, month - 1, 1) - this.offsetMs);
      if (start.getTime() < since) break;
      result.unshift(start);
      month -= 1;
      if (month === 0) {
        month = 12;
        year -= 1;
      }
    }
    return result;
  }
}

/** 'September 2026' for the local month containing `date`. */
/** The first day ('YYYY-MM-01') of the local month `date` falls in. */
export function monthOf(date: Date): string {
  const p = localParts(date);
  return isoDate(p.year, p.month, 1);
}

export function monthName(date: Date): string {
  const p = localParts(date);
  const names = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
  return `${names[p.month - 1]} ${p.year}`;
}
