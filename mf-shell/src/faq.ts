import type { Language } from '@cabinet/kit';

export interface FaqEntry {
  question: string;
  answer: string;
}

/** The FAQ of the operator's manual (the 2019 Russian edition, which supersedes the 2018 English one). */
export const FAQ: Record<Language, FaqEntry[]> = {
  ru: [
    {
      question: 'Как в «Кабинете» управлять несколькими организациями?',
      answer: 'Для этого необходимо, чтобы от каждой организации была направлена заявка на предоставление доступа к управлению определенному администратору.',
    },
    {
      question: 'Что делать, если не удается осуществить вход в «Кабинет»?',
      answer: 'Следует проверить корректность введенных учетных данных. Первый вход необходимо осуществить через функцию «Забыли пароль».',
    },
    { question: 'Можно ли пользоваться прежней версией «Кабинета»?', answer: 'Использование прежней версии невозможно, доступ закрыт.' },
    {
      question: 'Почему не отображается перечень всех услуг, подключенных на номере?',
      answer:
        'Мы расширили список услуг в сравнении с предыдущей версией и будем продолжать работать над его наполнением. Ваши пожелания по услуге, пожалуйста, отправляйте на электронную почту email@kcell.kz.',
    },
    {
      question: 'Что делать, если при подключении / отключении услуги на номере или выполнении других операций система выдает ошибку?',
      answer:
        'Когда возникает ошибка, необходимо подождать 2–3 минуты, обновить страницу и попробовать снова. Если ситуация не изменится, необходимо обратиться в службу поддержки корпоративных клиентов.',
    },
    {
      question: 'Что такое «Отправка секретного кода» и «Удаление секретного кода»?',
      answer:
        'Это возможность предоставить сотруднику код для пользования личным кабинетом (для физических лиц). В данном кабинете сотрудник сможет совершать ряд операций самостоятельно, в том числе получать детализацию вызовов.',
    },
    {
      question: 'Что делать, если номер заблокирован и нет кнопки «Разблокировка»?',
      answer: 'Если статус номера «Заблокирован / Долг», то самостоятельная разблокировка недоступна, так как на номере есть неоплаченная задолженность.',
    },
    { question: 'Не могу заменить SIM-карту, функция недоступна.', answer: 'Замена SIM-карты может быть осуществлена только на номере со статусом «Активен».' },
  ],
  en: [
    {
      question: 'How do I manage several companies in the Cabinet?',
      answer: 'Each company has to send a request to grant access to the particular administrator.',
    },
    {
      question: 'What should I do if I cannot log in to the Cabinet?',
      answer: 'Check that the details you entered are correct. The first entry must be made through “Forgot password?”.',
    },
    { question: 'Can I use the previous version of the Cabinet?', answer: 'No: the previous version has been closed.' },
    {
      question: 'Why are not all the services connected on a number listed?',
      answer:
        'We have expanded the list of services compared with the previous version and continue to fill it. Please send your wishes about the service to email@kcell.kz.',
    },
    {
      question: 'What should I do if the system shows an error when I connect or disconnect a service or perform another operation?',
      answer: 'Wait 2–3 minutes, refresh the page and try again. If nothing changes, contact corporate customer support.',
    },
    {
      question: 'What are “Send secret code” and “Delete secret code”?',
      answer:
        'They give an employee a code for the consumer self-service cabinet, where the employee can perform a number of operations on their own, including getting the usage details of calls.',
    },
    {
      question: 'A number is blocked and there is no “Unblock” button. What should I do?',
      answer: 'If the state of the number is “Blocked / Debt”, it cannot be unblocked from the portal: there is an unpaid debt for a previous period.',
    },
    { question: 'I cannot replace the SIM card: the function is not available.', answer: 'A SIM card can be replaced only on a number in the “Active” state.' },
  ],
  kk: [
    {
      question: '«Кабинетте» бірнеше ұйымды қалай басқаруға болады?',
      answer: 'Ол үшін әр ұйымнан белгілі бір әкімшіге басқаруға қолжетімділік беру туралы өтінім жіберілуі қажет.',
    },
    {
      question: '«Кабинетке» кіру мүмкін болмаса, не істеу керек?',
      answer: 'Енгізілген тіркелгі деректерінің дұрыстығын тексеріңіз. Алғашқы кіру «Құпиясөзді ұмыттыңыз ба?» функциясы арқылы жүзеге асырылуы тиіс.',
    },
    { question: '«Кабинеттің» бұрынғы нұсқасын пайдалануға бола ма?', answer: 'Бұрынғы нұсқаны пайдалану мүмкін емес, қолжетімділік жабылған.' },
    {
      question: 'Неліктен нөмірге қосылған барлық қызметтердің тізімі көрсетілмейді?',
      answer:
        'Біз алдыңғы нұсқамен салыстырғанда қызметтер тізімін кеңейттік және оны толықтыру жұмысын жалғастырамыз. Қызмет бойынша тілектеріңізді email@kcell.kz электрондық поштасына жіберіңіз.',
    },
    {
      question: 'Нөмірде қызметті қосу / ажырату немесе басқа операцияларды орындау кезінде жүйе қате берсе, не істеу керек?',
      answer: 'Қате пайда болғанда 2–3 минут күтіп, бетті жаңартып, қайта көріңіз. Жағдай өзгермесе, корпоративтік клиенттерді қолдау қызметіне хабарласыңыз.',
    },
    {
      question: '«Құпия кодты жіберу» және «Құпия кодты жою» дегеніміз не?',
      answer:
        'Бұл қызметкерге жеке тұлғаларға арналған жеке кабинетті пайдалану үшін код беру мүмкіндігі. Бұл кабинетте қызметкер бірқатар операцияларды, соның ішінде қоңыраулар детализациясын алуды өз бетінше орындай алады.',
    },
    {
      question: 'Нөмір бұғатталған және «Бұғаттан шығару» батырмасы жоқ болса, не істеу керек?',
      answer: 'Нөмірдің күйі «Бұғатталған / Қарыз» болса, нөмірде төленбеген берешек болғандықтан, өз бетінше бұғаттан шығару мүмкін емес.',
    },
    { question: 'SIM-картаны ауыстыра алмаймын, функция қолжетімсіз.', answer: 'SIM-картаны тек «Белсенді» күйіндегі нөмірде ауыстыруға болады.' },
  ],
};
