// An ESLint rule: no user-visible English written into the renderer's JSX. Text between tags,
// and strings in the attributes people read or hear (aria-label, title, placeholder, alt, label),
// must come from the message catalogue through `t(…)` (src/renderer/i18n). A string counts as
// text when it has a letter; symbols, numbers and punctuation may stay.

/** Attributes whose value is read or heard by people. */
const READ_ATTRIBUTES = new Set([
  'aria-label',
  'aria-description',
  'aria-roledescription',
  'aria-valuetext',
  'aria-placeholder',
  'title',
  'placeholder',
  'alt',
  'label',
]);
const LETTER = /\p{L}/u;
/** A message id handed on for a `t(…)` further down (`label="app.nav.home"`), not text. */
const MESSAGE_ID = /^[a-z][a-zA-Z]*(\.[a-zA-Z0-9-]+)+$/;

/** The string parts of an expression that end up as its value (through ?:, ||, ?? and &&). */
function* shownStrings(node) {
  switch (node.type) {
    case 'Literal':
      if (typeof node.value === 'string') yield node;
      break;
    case 'TemplateLiteral':
      if (node.quasis.some((quasi) => LETTER.test(quasi.value.cooked ?? ''))) yield node;
      break;
    case 'ConditionalExpression':
      yield* shownStrings(node.consequent);
      yield* shownStrings(node.alternate);
      break;
    case 'LogicalExpression':
      yield* shownStrings(node.right);
      if (node.operator !== '&&') yield* shownStrings(node.left);
      break;
    default:
      break;
  }
}

const hasLetters = (node) => (node.type === 'Literal' ? LETTER.test(node.value) && !MESSAGE_ID.test(node.value) : true);

/** @type {import('eslint').Rule.RuleModule} */
export default {
  meta: {
    type: 'problem',
    docs: { description: 'User-visible text in JSX comes from the message catalogue (t(…)), never a literal.' },
    messages: {
      text: 'User-visible text "{{text}}" in JSX: add it to src/renderer/i18n/locales (en, de, ja) and show t(…).',
    },
    schema: [],
  },
  create(context) {
    const report = (node, text) =>
      context.report({ node, messageId: 'text', data: { text: text.trim().replace(/\s+/g, ' ').slice(0, 60) } });
    const reportShown = (expression) => {
      for (const node of shownStrings(expression))
        if (hasLetters(node)) report(node, node.type === 'Literal' ? node.value : context.sourceCode.getText(node));
    };
    return {
      JSXText(node) {
        if (LETTER.test(node.value)) report(node, node.value);
      },
      JSXExpressionContainer(node) {
        if (node.parent.type === 'JSXAttribute') return;
        if (node.expression.type !== 'JSXEmptyExpression') reportShown(node.expression);
      },
      JSXAttribute(node) {
        const name = node.name.type === 'JSXIdentifier' ? node.name.name : '';
        if (!READ_ATTRIBUTES.has(name) || node.value === null) return;
        if (node.value.type === 'Literal') reportShown(node.value);
        else if (node.value.type === 'JSXExpressionContainer') reportShown(node.value.expression);
      },
    };
  },
};
