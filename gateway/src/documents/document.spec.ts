import type { UsageKind } from '../usage';

export type DocumentFormat = 'PDF' | 'XLSX';

/** What a download link or a report job produces: the document and its parameters, nothing about who asked. */
export type DocumentSpec =
  | { kind: 'USAGE'; format: DocumentFormat; numberId: number; from: string; to: string; type: UsageKind | null }
  | { kind: 'PAYMENTS'; numberId: number; from: string; to: string }
  | { kind: 'CREDIT_PAYMENTS'; companyId: number; from: string; to: string; accountId: number | null }
  | { kind: 'COMPLETED_WORKS_ACT'; companyId: number; accountId: number; year: number; month: number }
  /** Months as YYYY-MM, inclusive. */
  | { kind: 'INVOICE_REGISTER'; companyId: number; from: string; to: string }
  | { kind: 'NUMBERS_LIST'; companyId: number }
  | { kind: 'RECONCILIATION_ACT'; companyId: number; from: string; to: string };

export type DocumentKind = DocumentSpec['kind'];

export const CONTENT_TYPES: Record<DocumentFormat, string> = {
  PDF: 'application/pdf',
  XLSX: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

export function formatOf(spec: DocumentSpec): DocumentFormat {
  switch (spec.kind) {
    case 'USAGE':
      return spec.format;
    case 'COMPLETED_WORKS_ACT':
    case 'RECONCILIATION_ACT':
      return 'PDF';
    default:
      return 'XLSX';
  }
}
