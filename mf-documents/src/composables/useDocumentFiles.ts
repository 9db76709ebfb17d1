import { useMutation } from '@vue/apollo-composable';
import type { Ref } from 'vue';
import type { ActRequest } from '../components/document/CompletedWorksActForm.vue';
import { DownloadCompletedWorksActDocument, DownloadInvoiceRegisterDocument } from '../graphql/generated/graphql';
import { useDownload } from './useDownload';

/** The completed works act of an account and month (F23) as a file, saved when it arrives. */
export function useCompletedWorksActFile(companyId: Ref<string | null>) {
  const { mutate } = useMutation(DownloadCompletedWorksActDocument);
  const { busy, error, download } = useDownload();
  const request = (act: ActRequest) => download(async () => (await mutate({ companyId: companyId.value ?? '', ...act }))?.data?.downloadCompletedWorksAct);
  return { busy, error, request };
}

/** The company's invoice register over a range of ended months (F24) as XLSX, saved when it arrives. */
export function useInvoiceRegisterFile(companyId: Ref<string | null>) {
  const { mutate } = useMutation(DownloadInvoiceRegisterDocument);
  const { busy, error, download } = useDownload();
  const request = (range: { fromMonth: string; toMonth: string }) =>
    download(async () => (await mutate({ companyId: companyId.value ?? '', ...range }))?.data?.downloadInvoiceRegister);
  return { busy, error, request };
}
