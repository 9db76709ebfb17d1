import { once } from 'node:events';
import { Writable } from 'node:stream';

/**
 * A Writable in front of `output` that waits for `output` to drain, so its `writableNeedDrain`
 * tells a producer to pause; ending it ends `output` and finishes once `output` has.
 */
export function sinkFor(output: NodeJS.WritableStream): Writable {
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      if (output.write(chunk)) callback();
      else output.once('drain', () => callback());
    },
    final(callback) {
      output.once('finish', () => callback());
      output.end();
    },
  });
  output.once('error', (error: Error) => sink.destroy(error));
  output.once('close', () => {
    if (!sink.writableFinished) sink.destroy(new Error('The output closed before the document was complete'));
  });
  return sink;
}

export async function drained(sink: Writable): Promise<void> {
  if (sink.destroyed) throw sink.errored ?? new Error('The output closed before the document was complete');
  if (sink.writableNeedDrain) await once(sink, 'drain');
}

/**
 * A failed document must not look complete: `output` is destroyed, not ended. No error is emitted on
 * it; the caller learns of the failure from the rejected promise.
 */
export function abandon(sink: Writable, output: NodeJS.WritableStream): void {
  sink.destroy();
  const destroy = (output as { destroy?: () => void }).destroy;
  if (typeof destroy === 'function') destroy.call(output);
}
