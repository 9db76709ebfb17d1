import type { LocalizedText } from '../core/language';

/** Why an uploaded file as a whole is refused (UPLOAD_INVALID's `extensions.reason`), in each language. */
export const UPLOAD_INVALID_TEXTS = {
  NOT_A_TABLE: {
    en: 'Upload a CSV file or an Excel workbook (XLSX) with a column of numbers.',
    ru: 'Загрузите файл CSV или книгу Excel (XLSX) со столбцом номеров.',
    kk: 'Нөмірлер бағаны бар CSV файлын немесе Excel кітабын (XLSX) жүктеңіз.',
  },
  TOO_LARGE: {
    en: 'The file is over 20 MB (or its workbook over 256 MB once unpacked): split the list into several files.',
    ru: 'Файл больше 20 МБ (или его книга больше 256 МБ в распакованном виде): разделите список на несколько файлов.',
    kk: 'Файл 20 МБ-тан үлкен (немесе оның кітабы ашылғанда 256 МБ-тан үлкен): тізімді бірнеше файлға бөліңіз.',
  },
  NO_MSISDN_COLUMN: {
    en: 'The file has no column of numbers: name it “MSISDN” or “Phone”, or put the numbers in the first column.',
    ru: 'В файле нет столбца с номерами: назовите его «MSISDN» или «Номер» либо поместите номера в первый столбец.',
    kk: 'Файлда нөмірлер бағаны жоқ: оны «MSISDN» немесе «Нөмір» деп атаңыз немесе нөмірлерді бірінші бағанға қойыңыз.',
  },
  EMPTY: {
    en: 'The file holds no numbers.',
    ru: 'В файле нет номеров.',
    kk: 'Файлда нөмірлер жоқ.',
  },
} as const satisfies Record<string, LocalizedText>;

export type UploadInvalidReason = keyof typeof UPLOAD_INVALID_TEXTS;

/** The other refusals of an upload as a whole. */
export const UPLOAD_TEXTS = {
  expired: {
    en: 'This upload link has expired or is not yours; ask for a new one.',
    ru: 'Ссылка для загрузки устарела или выдана не вам; запросите новую.',
    kk: 'Жүктеу сілтемесінің мерзімі өтті немесе ол сізге берілмеген; жаңасын сұраңыз.',
  },
  listExpired: {
    en: 'This uploaded list has expired (a list is kept for 24 hours): upload it again.',
    ru: 'Срок загруженного списка истёк (список хранится 24 часа): загрузите его снова.',
    kk: 'Жүктелген тізімнің мерзімі өтті (тізім 24 сағат сақталады): оны қайта жүктеңіз.',
  },
  tooLarge: {
    en: 'The list has more than 100,000 numbers: split it into several files.',
    ru: 'В списке больше 100 000 номеров: разделите его на несколько файлов.',
    kk: 'Тізімде 100 000-нан астам нөмір бар: оны бірнеше файлға бөліңіз.',
  },
} as const satisfies Record<string, LocalizedText>;

/**
 * Why one line of an uploaded list is refused: its stored code (`cabinet.bulk_upload_lines.error`, a BulkLineError's
 * `code`) with its text. FOREIGN_NUMBER is decided by the dry run, for a number that is not the company's or does
 * not exist alike.
 */
export const UPLOAD_LINE_TEXTS = {
  INVALID_PHONE: {
    en: 'Not a mobile number: 11 digits starting with 7 or 8, e.g. 77012112170.',
    ru: 'Это не мобильный номер: 11 цифр, начиная с 7 или 8, например 77012112170.',
    kk: 'Бұл мобильді нөмір емес: 7 немесе 8-ден басталатын 11 цифр, мысалы 77012112170.',
  },
  INVALID_ICCID: {
    en: 'The ICCID is not the 20 digits printed on the SIM card, or its check digit is wrong.',
    ru: 'ICCID — это 20 цифр, напечатанных на SIM-карте; этот не подходит или у него неверная контрольная цифра.',
    kk: 'ICCID — SIM-картада басылған 20 цифр; бұл сәйкес келмейді немесе бақылау цифры қате.',
  },
  DUPLICATE_LINE: {
    en: 'The number (or SIM card) is already on an earlier line of the file.',
    ru: 'Этот номер (или SIM-карта) уже есть в одной из предыдущих строк файла.',
    kk: 'Бұл нөмір (немесе SIM-карта) файлдың алдыңғы жолдарының бірінде бар.',
  },
  FOREIGN_NUMBER: {
    en: 'The number is not one of the company’s.',
    ru: 'Этот номер не принадлежит компании.',
    kk: 'Бұл нөмір компанияға тиесілі емес.',
  },
} as const satisfies Record<string, LocalizedText>;

export type UploadLineCode = keyof typeof UPLOAD_LINE_TEXTS;
