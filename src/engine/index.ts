// The engine's entry point: text -> tree -> SocketModel -> rules -> findings.
// Pure: no `vscode` import, no simulator import. Call initEngine() once, then lint() is synchronous.
export * from './types';
export { languageIdForPath, languageIdForEditor, ensureGrammars } from './parse/grammars';
export { LintDocument } from './document';
export { lint, initEngine } from './lint';
export type { GrammarBytes } from './parse/grammars';
export { allRules, ruleById } from './rules/registry';
export type { Rule, RuleDocs } from './rules/rule';
