// Types of tools/eslint/module-boundaries.js for its test.
import type { Rule } from 'eslint';

declare const plugin: { rules: { 'module-boundaries': Rule.RuleModule } };
export default plugin;
