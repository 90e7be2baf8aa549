import type { Rule } from 'eslint';

/** The rule in noUntranslatedText.js (plain JavaScript: eslint.config.js loads it without a compiler). */
declare const rule: Rule.RuleModule;
export default rule;
