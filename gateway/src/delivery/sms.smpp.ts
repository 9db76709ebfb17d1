import { connect, encodings, errors, PDU, type Session } from 'smpp';
import { assertSmsMessage, type SmsLog, type SmsSender } from './sms.message';

export interface SmppTarget {
  host: string;
  port: number;
  systemId: string;
  password: string;
  systemType: string;
  source: string;
  sourceTon: number;
  sourceNpi: number;
}

export interface SmppOptions {
  /** How long connecting and binding, one submit_sm, or unbinding may take; 10 000 ms by default. */
  timeoutMs?: number;
}

/** The SMSC refused a request, did not answer it in time, or the session closed before it answered. */
export class SmppError extends Error {
  constructor(
    /** The request: `bind_transmitter`, `submit_sm` or `unbind`. */
    readonly command: string,
    /** The command_status name (`ESME_RINVPASWD`, `ESME_RTHROTTLED`, …), or `TIMEOUT` or `SESSION_CLOSED` when no answer came. */
    readonly status: string,
    message: string,
  ) {
    super(message);
    this.name = 'SmppError';
  }
}

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_PORT = 2775;
const SMPP_3_4 = 0x34;
const TON_INTERNATIONAL = 1;
const NPI_ISDN = 1;
const DATA_CODING_SMSC_DEFAULT = 0x00;
const DATA_CODING_UCS2 = 0x08;
// One segment holds 140 octets: 160 GSM 7-bit septets or 70 UCS2 characters. Longer texts go whole in
// message_payload and the SMSC splits them.
const GSM_SEGMENT = 160;
const UCS2_SEGMENT = 70;
const GSM_EXTENSION = /[\f^{}\\[~\]|€]/g;
const QUERY_PARAMS = new Set(['source', 'source_ton', 'source_npi', 'system_type']);

const STATUS_NAMES = new Map(Object.entries(errors).map(([name, code]) => [code, name]));

function statusName(status: number): string {
  return STATUS_NAMES.get(status) ?? `0x${status.toString(16).padStart(8, '0')}`;
}

/**
 * Reads `smpp://system_id:password@host:port?source=Kcell&source_ton=5&source_npi=0[&system_type=…]`.
 * Port 2775 and source_ton 5 / source_npi 0 (alphanumeric sender) by default. Errors never repeat the password.
 */
export function parseSmppUrl(value: string): SmppTarget {
  const url = URL.canParse(value) ? new URL(value) : undefined;
  if (url?.protocol !== 'smpp:') throw new Error('SMS smppUrl must be an smpp:// URL');
  const problems: string[] = [];
  const byte = (name: string, fallback: number): number => {
    const raw = url.searchParams.get(name);
    if (raw === null || raw === '') return fallback;
    if (!/^\d{1,3}$/.test(raw) || Number(raw) > 255) problems.push(`${name} must be an integer from 0 to 255`);
    return Number(raw);
  };
  const unknown = [...url.searchParams.keys()].filter((key) => !QUERY_PARAMS.has(key));
  if (unknown.length > 0) problems.push(`unknown parameters ${unknown.join(', ')}`);
  const target: SmppTarget = {
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port === '' ? DEFAULT_PORT : Number(url.port),
    systemId: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    systemType: url.searchParams.get('system_type') ?? '',
    source: url.searchParams.get('source') ?? '',
    sourceTon: byte('source_ton', 5),
    sourceNpi: byte('source_npi', 0),
  };
  if (target.host === '') problems.push('a host is required');
  if (target.systemId === '') problems.push('a system_id (the URL user) is required');
  if (target.password === '') problems.push('a password is required');
  if (!/^[\x20-\x7e]{1,20}$/.test(target.source)) problems.push('source must be 1 to 20 printable ASCII characters');
  else if (target.sourceTon === 5 && target.source.length > 11) problems.push('an alphanumeric source (source_ton 5) has at most 11 characters');
  if (problems.length > 0) throw new Error(`SMS smppUrl is invalid: ${problems.join('; ')}`);
  return target;
}

/**
 * Sends through an SMSC as an SMPP 3.4 transmitter. Binds on the first send and again on the next send
 * after the session closed; each request fails with an SmppError after `timeoutMs`.
 */
export function createSmppSms(url: string, log: SmsLog, options: SmppOptions = {}): SmsSender {
  const target = parseSmppUrl(url);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new Error('SMPP timeoutMs must be a positive number');
  let binding: Promise<SmppLink> | undefined;
  let closed = false;

  const bind = (): Promise<SmppLink> => {
    const pending: Promise<SmppLink> = openLink(target, timeoutMs, log).catch((error: unknown) => {
      if (binding === pending) binding = undefined;
      throw error;
    });
    binding = pending;
    return pending;
  };

  const usableLink = async (): Promise<SmppLink> => {
    const pending = binding ?? bind();
    const link = await pending;
    if (link.usable) return link;
    if (binding === pending) binding = undefined;
    return binding ?? bind();
  };

  return {
    async send(message) {
      assertSmsMessage(message);
      if (closed) throw new Error('The SMS sender is closed');
      const link = await usableLink();
      const response = await link.request('submit_sm', {
        source_addr_ton: target.sourceTon,
        source_addr_npi: target.sourceNpi,
        source_addr: target.source,
        dest_addr_ton: TON_INTERNATIONAL,
        dest_addr_npi: NPI_ISDN,
        destination_addr: message.to,
        ...body(message.text),
      });
      const id = String(response.message_id ?? '');
      log.info({ sms: { to: message.to, purpose: message.purpose, id } }, 'SMS sent (SMPP)');
      return { id };
    },
    async close() {
      closed = true;
      const pending = binding;
      binding = undefined;
      const link = await pending?.catch(() => undefined);
      await link?.close();
    },
  };
}

function body(text: string): Record<string, unknown> {
  // The package encodes a string by data_coding: GSM 03.38 for 0, UTF-16BE for 8. Its GSM test is the one its
  // encoder uses, so no character is silently replaced by a space.
  const gsm = encodings.ASCII.match(text);
  const length = gsm ? text.length + (text.match(GSM_EXTENSION)?.length ?? 0) : text.length;
  const field = length <= (gsm ? GSM_SEGMENT : UCS2_SEGMENT) ? 'short_message' : 'message_payload';
  return { data_coding: gsm ? DATA_CODING_SMSC_DEFAULT : DATA_CODING_UCS2, [field]: text };
}

interface SmppLink {
  /** False once the socket can no longer be written to, even before its `close` event. */
  readonly usable: boolean;
  request(command: string, params: Record<string, unknown>): Promise<PDU>;
  close(): Promise<void>;
}

async function openLink(target: SmppTarget, timeoutMs: number, log: SmsLog): Promise<SmppLink> {
  const where = { host: target.host, port: target.port, systemId: target.systemId };
  const session: Session = connect({ host: target.host, port: target.port });
  const pending = new Set<(cause: string) => void>();
  let failure: Error | undefined;
  let closed = false;

  const whenClosed = new Promise<void>((resolve) => {
    session.on('close', () => {
      closed = true;
      const cause = failure ? `: ${failure.message}` : '';
      for (const fail of pending) fail(cause);
      pending.clear();
      log.info({ smpp: { ...where, error: failure?.message } }, 'SMPP session closed');
      resolve();
    });
  });
  session.on('error', (error: Error) => {
    failure ??= error;
    session.destroy();
  });
  session.on('enquire_link', (pdu: PDU) => session.send(pdu.response()));
  session.on('unbind', (pdu: PDU) => {
    session.send(pdu.response());
    session.close();
  });

  const request = (command: string, params: Record<string, unknown>) =>
    new Promise<PDU>((resolve, reject) => {
      const closedError = (cause: string) =>
        new SmppError(command, 'SESSION_CLOSED', `SMPP session to ${target.host}:${target.port} closed before ${command} was answered${cause}`);
      if (closed || !session.socket.writable) {
        reject(closedError(failure ? `: ${failure.message}` : ''));
        return;
      }
      const fail = (cause: string) => {
        clearTimeout(timer);
        reject(closedError(cause));
      };
      const timer = setTimeout(() => {
        pending.delete(fail);
        reject(new SmppError(command, 'TIMEOUT', `SMSC ${target.host}:${target.port} did not answer ${command} within ${timeoutMs} ms`));
        // An SMSC that stops answering is usually a dead connection: the next send binds afresh.
        session.destroy();
      }, timeoutMs);
      pending.add(fail);
      session.send(new PDU(command, params), (response) => {
        clearTimeout(timer);
        pending.delete(fail);
        if (response.command_status === 0) {
          resolve(response);
        } else {
          const status = statusName(response.command_status);
          reject(new SmppError(command, status, `SMSC ${target.host}:${target.port} refused ${command}: ${status}`));
        }
      });
    });

  try {
    await request('bind_transmitter', {
      system_id: target.systemId,
      password: target.password,
      system_type: target.systemType,
      interface_version: SMPP_3_4,
    });
  } catch (error) {
    session.destroy();
    throw error;
  }
  log.info({ smpp: where }, 'SMPP session bound');

  return {
    get usable() {
      return !closed && session.socket.writable;
    },
    request,
    async close() {
      if (closed) return;
      // Unbinding is a courtesy: the socket is closed whatever the SMSC answers.
      await request('unbind', {}).catch(() => undefined);
      if (!closed) {
        const timer = setTimeout(() => session.destroy(), timeoutMs);
        session.close();
        await whenClosed;
        clearTimeout(timer);
      }
    },
  };
}
