import type { Language } from '../core/language';

interface ApprovalMail {
  subject: (p: { company: string }) => string;
  text: (p: { requester: string; what: string; more: number; company: string; hours: number }) => string;
}

/** The e-mail to a company's other administrators when an operation waits for a second administrator's approval. */
export const APPROVAL_MAIL: Record<Language, ApprovalMail> = {
  en: {
    subject: ({ company }) => `Approval needed: an operation on numbers of ${company}`,
    text: ({ requester, what, more, company, hours }) =>
      `${requester} asks for a second administrator's approval of an operation on numbers of ${company}:\n\n${what}` +
      (more > 0 ? ` and ${more} more numbers` : '') +
      `.\n\nApprove or reject it in the portal (Numbers → Operations → Waiting for approval) within ${hours} hours; after that it expires.`,
  },
  ru: {
    subject: ({ company }) => `Требуется подтверждение: операция с номерами ${company}`,
    text: ({ requester, what, more, company, hours }) =>
      `${requester} просит второго администратора подтвердить операцию с номерами компании ${company}:\n\n${what}` +
      (more > 0 ? ` и ещё ${more} номеров` : '') +
      `.\n\nПодтвердите или отклоните её в портале (Номера → Операции → Ожидают подтверждения) в течение ${hours} часов; потом запрос истечёт.`,
  },
  kk: {
    subject: ({ company }) => `Растау қажет: ${company} нөмірлерімен операция`,
    text: ({ requester, what, more, company, hours }) =>
      `${requester} ${company} компаниясының нөмірлерімен операцияны екінші әкімшінің растауын сұрайды:\n\n${what}` +
      (more > 0 ? ` және тағы ${more} нөмір` : '') +
      `.\n\nОны порталда (Нөмірлер → Операциялар → Растауды күтуде) ${hours} сағат ішінде растаңыз немесе қабылдамаңыз; одан кейін сұрау мерзімі өтеді.`,
  },
};
