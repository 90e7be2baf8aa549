import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';

/** Right-to-left override … pop directional formatting: the letters between show mirrored. */
const RLO = '\u202e';
const PDF = '\u202c';

function mirror(elements: readonly MessageFormatElement[]): MessageFormatElement[] {
  return elements.map((element) => {
    switch (element.type) {
      case TYPE.literal:
        return element.value.trim() === '' ? element : { ...element, value: `${RLO}${element.value}${PDF}` };
      case TYPE.plural:
      case TYPE.select:
        return {
          ...element,
          options: Object.fromEntries(
            Object.entries(element.options).map(([key, option]) => [key, { ...option, value: mirror(option.value) }]),
          ),
        };
      case TYPE.tag:
        return { ...element, children: mirror(element.children) };
      default:
        return element;
    }
  });
}

/**
 * A right-to-left pseudo-locale (as Android's `ar-XB`) made from the English catalogue: each
 * message's own words are shown mirrored, while what fills its placeholders (names, counts) is
 * not. A screen in it shows at a glance what is laid out physically (it does not flip) and what
 * is not translated (it reads normally).
 */
export function pseudoRightToLeft(messages: Readonly<Record<string, string>>): Record<string, MessageFormatElement[]> {
  return Object.fromEntries(Object.entries(messages).map(([id, message]) => [id, mirror(parse(message))]));
}
