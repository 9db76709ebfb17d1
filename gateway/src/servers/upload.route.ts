import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { bulkUploadService, MAX_UPLOAD_BYTES, UploadInvalidError, UPLOADS_PATH } from '../bulk/bulk.upload';
import type { Context } from '../core/context';
import { ErrorCode, httpStatusOf } from '../core/errors';
import { sendJsonError } from './json-error';

export interface UploadRouteOptions {
  /** Builds the request's context and signs the caller in, exactly as for a GraphQL request. */
  createContext(request: FastifyRequest, reply: FastifyReply): Promise<Context>;
}

/**
 * `POST /uploads/<token>`: a list of numbers (the file's bytes as the body, CSV or XLSX, at most 20 MB) for the
 * principal and company the upload URL was issued to. The body is not parsed by Fastify: it streams into the list's
 * parser as it arrives. The answer is JSON `{ uploadId, lines, withIccid, invalidLineCount }`; errors are JSON like
 * GraphQL's, an oversized file 413.
 */
export function registerUploads(app: FastifyInstance, { createContext }: UploadRouteOptions): void {
  void app.register(async (scope) => {
    // Whatever the body's type, it is left unread for the handler (Fastify's own parsers would buffer it).
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
    // A wildcard, not `:token`: Fastify refuses parameters over 100 characters, and a URL's claims are longer.
    scope.post<{ Params: { '*': string } }>(`${UPLOADS_PATH}/*`, async (request, reply) => {
      const refuse = (error: unknown) =>
        sendJsonError(
          request,
          reply,
          error,
          'an upload could not be received',
          error instanceof UploadInvalidError && error.reason === 'TOO_LARGE' ? httpStatusOf(ErrorCode.PAYLOAD_TOO_LARGE) : undefined,
        );
      try {
        const context = await createContext(request, reply);
        const declared = Number(request.headers['content-length']);
        const receipt = await bulkUploadService.receive(context, request.params['*'], {
          // A declared length over the limit is refused before a byte is read (after the URL and grants are checked).
          body: declared > MAX_UPLOAD_BYTES ? tooLarge(context) : request.raw,
          contentType: request.headers['content-type'],
          contentDisposition: request.headers['content-disposition'],
        });
        return reply.header('cache-control', 'no-store').send(receipt);
      } catch (error) {
        return refuse(error);
      }
    });
  });
}

/** A body that fails as too large at its first read. */
async function* tooLarge(context: Context): AsyncGenerator<Buffer> {
  yield* [];
  throw new UploadInvalidError('TOO_LARGE', context.language);
}
