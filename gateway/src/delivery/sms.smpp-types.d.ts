// smpp 0.5.1 ships no types and there is no @types/smpp: this covers what the SMS adapter and its test use.
declare module 'smpp' {
  import { EventEmitter } from 'node:events';
  import { Server as NetServer, type Socket } from 'node:net';

  /** How the package decodes `short_message` and `message_payload` it receives, by `data_coding`. */
  export interface DecodedMessage {
    message: string | Buffer;
    udh?: Buffer[];
  }

  export class PDU {
    constructor(command: string, options?: Record<string, unknown>);
    command: string;
    command_id: number;
    command_status: number;
    sequence_number: number;
    [param: string]: unknown;
    isResponse(): boolean;
    response(options?: Record<string, unknown>): PDU;
  }

  export class Session extends EventEmitter {
    readonly socket: Socket;
    send(pdu: PDU, responseCallback?: (response: PDU) => void, sendCallback?: (pdu: PDU) => void): boolean;
    close(callback?: () => void): void;
    destroy(callback?: () => void): void;
  }

  export interface SessionOptions {
    host: string;
    port: number;
    tls?: boolean;
  }

  export function connect(options: SessionOptions, listener?: () => void): Session;

  export class Server extends NetServer {
    readonly sessions: Session[];
  }

  export function createServer(listener: (session: Session) => void): Server;

  export interface Encoding {
    match(value: string): boolean;
    encode(value: string): Buffer;
    decode(value: Buffer): string;
  }

  export const encodings: { ASCII: Encoding; LATIN1: Encoding; UCS2: Encoding };
  /** command_status values by name, e.g. `ESME_RTHROTTLED: 0x58`. */
  export const errors: Readonly<Record<string, number>>;
}
