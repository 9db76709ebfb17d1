import { apiError, downloadFile, type ApiError, type DownloadLink } from '@cabinet/kit';
import { ref } from 'vue';

/** Runs a download mutation and saves its file, tracking whether one is under way and how the last one failed. */
export function useDownload() {
  const busy = ref(false);
  const problem = ref<ApiError | null>(null);
  async function download(request: () => Promise<DownloadLink | null | undefined>): Promise<DownloadLink | null> {
    busy.value = true;
    problem.value = null;
    try {
      return await downloadFile(request);
    } catch (error) {
      problem.value = apiError(error);
      return null;
    } finally {
      busy.value = false;
    }
  }
  return { busy, problem, download };
}
