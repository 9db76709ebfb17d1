import type { Language } from '../core/language';

/** The operator's requisites as printed on acts and invoices (the service provider, "Исполнитель"). */
export interface OperatorDetails {
  name: string;
  bin: string;
  address: string;
  bank: string;
  iban: string;
  bic: string;
  vatCertificate: string;
}

export const OPERATOR: Record<Language, OperatorDetails> = {
  en: {
    name: 'Kcell JSC',
    bin: '980540000397',
    address: '2G Timiryazev St., Samal-2, Almaty 050051, Republic of Kazakhstan',
    bank: 'Halyk Bank of Kazakhstan JSC',
    iban: 'KZ216010131000012345',
    bic: 'HSBKKZKX',
    vatCertificate: 'VAT registration series 60001 No. 0012345',
  },
  ru: {
    name: 'АО «Кселл»',
    bin: '980540000397',
    address: '050051, Республика Казахстан, г. Алматы, мкр. Самал-2, ул. Тимирязева, 2Г',
    bank: 'АО «Народный банк Казахстана»',
    iban: 'KZ216010131000012345',
    bic: 'HSBKKZKX',
    vatCertificate: 'Свидетельство о постановке на учет по НДС серия 60001 № 0012345',
  },
  kk: {
    name: '«Кселл» АҚ',
    bin: '980540000397',
    address: '050051, Қазақстан Республикасы, Алматы қ., Самал-2 ш/а, Тимирязев к-сі, 2Г',
    bank: '«Қазақстан Халық банкі» АҚ',
    iban: 'KZ216010131000012345',
    bic: 'HSBKKZKX',
    vatCertificate: 'ҚҚС бойынша есепке қою туралы куәлік, серия 60001 № 0012345',
  },
};

/** Kazakhstan's VAT rate, included in the operator's prices: VAT = total × 12 / 112. */
export const VAT_PERCENT = 12;

/** The VAT inside an amount that includes it, rounded half up to the tiyn. */
export const vatIncluded = (gross: bigint): bigint => (gross * BigInt(VAT_PERCENT) + BigInt(50 + VAT_PERCENT / 2)) / BigInt(100 + VAT_PERCENT);
