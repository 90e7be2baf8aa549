import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';

/**
 * The check `npm test` runs over every shipped catalogue, the renderer's (`renderer/i18n`) and
 * main's (`main/i18n/messages.ts`), against English: an id missing, empty or unknown, a message
 * that is not ICU message format, other placeholders than English's, and a message still in
 * English (untranslated) unless it is listed as the same in that language on purpose.
 */

/** The placeholders a message fills (`{name}`, `{count, plural, …}`, `<b>`), with their kind. */
function placeholders(elements: readonly MessageFormatElement[], into = new Set<string>()): Set<string> {
  for (const element of elements) {
    switch (element.type) {
      case TYPE.argument:
      case TYPE.number:
      case TYPE.date:
      case TYPE.time:
        into.add(`${element.value}:${element.type}`);
        break;
      case TYPE.plural:
      case TYPE.select:
        into.add(`${element.value}:${element.type}`);
        for (const option of Object.values(element.options)) placeholders(option.value, into);
        break;
      case TYPE.tag:
        into.add(`<${element.value}>`);
        placeholders(element.children, into);
        break;
      default:
        break;
    }
  }
  return into;
}

/** The words a message writes itself, in every branch: what a translator translates. */
function ownText(elements: readonly MessageFormatElement[]): string {
  return elements
    .map((element) => {
      switch (element.type) {
        case TYPE.literal:
          return element.value;
        case TYPE.plural:
        case TYPE.select:
          return Object.values(element.options)
            .map((option) => ownText(option.value))
            .join(' ');
        case TYPE.tag:
          return ownText(element.children);
        default:
          return '';
      }
    })
    .join('');
}

export function catalogueProblems(
  locale: string,
  catalogue: Readonly<Record<string, string>>,
  english: Readonly<Record<string, string>>,
  /** Ids whose message is the same as English's in this language on purpose ("Server", "Video"). */
  sameAsEnglish: ReadonlySet<string> = new Set(),
): string[] {
  const problems: string[] = [];
  for (const id of Object.keys(english))
    if (!Object.hasOwn(catalogue, id)) problems.push(`${locale}: ${id} is missing`);
  for (const [id, message] of Object.entries(catalogue)) {
    const source = english[id];
    if (source === undefined) {
      problems.push(`${locale}: ${id} is not in the English catalogue`);
      continue;
    }
    let ast: MessageFormatElement[];
    try {
      ast = parse(message, { requiresOtherClause: true });
    } catch (error) {
      problems.push(`${locale}: ${id} is not ICU message format: ${String(error)}`);
      continue;
    }
    if (message.trim() === '') problems.push(`${locale}: ${id} is empty`);
    const want = [...placeholders(parse(source))].sort();
    const have = [...placeholders(ast)].sort();
    if (JSON.stringify(want) !== JSON.stringify(have))
      problems.push(`${locale}: ${id} has placeholders ${have.join(', ')} where English has ${want.join(', ')}`);
    if (catalogue === english) continue;
    // Only words need translating: "{day}, {times}" is the same everywhere.
    const untranslated = message === source && /\p{L}/u.test(ownText(ast));
    if (untranslated && !sameAsEnglish.has(id)) problems.push(`${locale}: ${id} is still in English`);
    if (!untranslated && sameAsEnglish.has(id))
      problems.push(`${locale}: ${id} is listed as the same as English, but is not (take it off the list)`);
  }
  return problems;
}
