import { downloadFile, useAttempt, type DownloadLink, type Outcome } from '@cabinet/kit';

/**
 * Runs a download mutation and saves its file: `download` answers with the link's outcome, `busy` says one is under
 * way and `error` how the last one failed.
 */
export function useDownload() {
  const { run, busy, error } = useAttempt();
  const download = (request: () => Promise<DownloadLink | null | undefined>): Promise<Outcome<{ link: DownloadLink }>> =>
    run(async () => ({ link: await downloadFile(request) }));
  return { busy, error, download };
}
