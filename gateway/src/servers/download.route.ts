import { Transform } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { documentService, type OpenedDownload } from '../documents';
import type { Context } from '../core/context';
import { DOWNLOADS_PATH } from '../delivery/download.token';
import { sendJsonError } from './json-error';

export interface DownloadRouteOptions {
  /** Builds the request's context and signs the caller in, exactly as for a GraphQL request. */
  createContext(request: FastifyRequest, reply: FastifyReply): Promise<Context>;
}

/**
 * `GET /downloads/<token>`: streams the file a download link was issued for, to the principal it was issued to.
 * Errors are JSON like GraphQL's: `{ errors: [{ message, extensions: { code } }] }`.
 */
export function registerDownloads(app: FastifyInstance, { createContext }: DownloadRouteOptions): void {
  // A wildcard, not `:token`: Fastify refuses parameters over 100 characters, and a link's claims are longer.
  app.get<{ Params: { '*': string } }>(`${DOWNLOADS_PATH}/*`, { exposeHeadRoute: false }, async (request, reply) => {
    const refuse = (error: unknown, logAs: string) => sendJsonError(request, reply, error, logAs);
    let download: OpenedDownload;
    try {
      download = await documentService.open(await createContext(request, reply), request.params['*']);
    } catch (error) {
      return refuse(error, 'a download could not be opened');
    }
    // The answer starts with the file's first bytes: a failure before them (a read of the data, say) is an error
    // answer, one after them cuts the response, and neither leaves it open.
    let started!: () => void;
    const firstBytes = new Promise<void>((resolve) => (started = resolve));
    const body = new Transform({
      transform(chunk, _encoding, callback) {
        started();
        callback(null, chunk);
      },
    });
    const written = download.write(body).then(
      () => undefined,
      (error: unknown) => ({ error }),
    );
    const failedEarly = await Promise.race([firstBytes.then(() => undefined), written]);
    if (failedEarly) {
      body.destroy();
      return refuse(failedEarly.error, 'a download could not be written');
    }
    void written.then((failed) => {
      if (!failed) return;
      request.log.error({ err: failed.error }, 'a download stopped before its end');
      body.destroy(failed.error instanceof Error ? failed.error : new Error(String(failed.error)));
    });
    return reply
      .header('content-type', download.contentType)
      .header('content-disposition', `attachment; filename="${download.filename.replace(/[^\w.-]/g, '_')}"`)
      .header('cache-control', 'private, no-store')
      .send(body);
  });
}
